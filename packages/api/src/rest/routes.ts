/**
 * The REST API under /api/v1: each route names the tRPC procedure it calls, so REST and tRPC are
 * one implementation (same input schema, same service, same auth, tenancy and roles). GET routes
 * call queries with the query string as input; POST, PATCH and DELETE call mutations with the
 * JSON body as input. Path parameters (`{id}`) are input fields too.
 */
export type RestMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface RestRoute {
  method: RestMethod
  /** Under /api/v1; `{name}` is the input field `name`. */
  path: string
  /** The tRPC procedure, e.g. `vehicles.list`. */
  procedure: string
  tag: string
  summary: string
  /** The success status: 201 for creations, else 200. */
  status: 200 | 201
}

export const REST_BASE_PATH = '/api/v1'

function route(
  method: RestMethod,
  path: string,
  procedure: string,
  tag: string,
  summary: string,
): RestRoute {
  return {
    method,
    path,
    procedure,
    tag,
    summary,
    status: method === 'POST' && /\.(create|send)$/.test(procedure) ? 201 : 200,
  }
}

/** List, read, create, update and delete of one kind of fleet object. */
function crud(tag: string, collection: string, domain: string, noun: string): RestRoute[] {
  return [
    route('GET', `/${collection}`, `${domain}.list`, tag, `List ${noun}s (cursor pagination)`),
    route('POST', `/${collection}`, `${domain}.create`, tag, `Create a ${noun}`),
    route('GET', `/${collection}/{id}`, `${domain}.byId`, tag, `Read a ${noun}`),
    route('PATCH', `/${collection}/{id}`, `${domain}.update`, tag, `Update a ${noun}`),
    route('DELETE', `/${collection}/{id}`, `${domain}.remove`, tag, `Delete a ${noun}`),
  ]
}

export const REST_ROUTES: readonly RestRoute[] = [
  ...crud('Vehicles', 'vehicles', 'vehicles', 'vehicle'),
  ...crud('Devices', 'devices', 'devices', 'device'),
  ...crud('Drivers', 'drivers', 'drivers', 'driver'),
  ...crud('Geofences', 'geofences', 'geofences', 'geofence'),
  ...crud('Groups', 'groups', 'groups', 'vehicle group'),
  route(
    'GET',
    '/commands',
    'commands.list',
    'Commands',
    'List commands to devices (cursor pagination)',
  ),
  route('POST', '/commands', 'commands.send', 'Commands', 'Queue a command for a device'),
  route('POST', '/commands/{id}/cancel', 'commands.cancel', 'Commands', 'Cancel a queued command'),
  route(
    'GET',
    '/telemetry/latest',
    'telemetry.latest',
    'Telemetry',
    "Every vehicle's last known state",
  ),
  route(
    'GET',
    '/vehicles/{vehicleId}/history',
    'telemetry.history',
    'Telemetry',
    "A vehicle's track over [from, to), downsampled to at most maxPoints",
  ),
  route(
    'GET',
    '/vehicles/{vehicleId}/points',
    'telemetry.points',
    'Telemetry',
    "A vehicle's raw points over [from, to), a page at a time (cursor)",
  ),
  route('GET', '/alerts', 'alerts.list', 'Alerts', 'List alerts (cursor pagination)'),
  route('POST', '/alerts/{id}/acknowledge', 'alerts.acknowledge', 'Alerts', 'Acknowledge an alert'),
  route('GET', '/reports/trips', 'reports.trips', 'Reports', 'Trips over [from, to)'),
  route(
    'GET',
    '/reports/daily',
    'reports.daily',
    'Reports',
    'Daily summaries, from and to as days',
  ),
  route('GET', '/reports/drivers', 'reports.drivers', 'Reports', 'Per driver figures and score'),
]

/** The route a method and path (under /api/v1) name, with its path parameters decoded. */
export function matchRestRoute(
  method: string,
  path: string,
): { route: RestRoute; params: Record<string, string> } | { allowed: RestMethod[] } | null {
  const segments = path.split('/')
  const allowed: RestMethod[] = []
  for (const candidate of REST_ROUTES) {
    const params = matchPath(candidate.path.split('/'), segments)
    if (!params) continue
    if (candidate.method === method) return { route: candidate, params }
    allowed.push(candidate.method)
  }
  return allowed.length > 0 ? { allowed } : null
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null
  const params: Record<string, string> = {}
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? ''
    const name = /^\{(\w+)\}$/.exec(part)?.[1]
    if (name === undefined) {
      if (part !== segment) return null
      continue
    }
    let value: string
    try {
      value = decodeURIComponent(segment)
    } catch {
      return null
    }
    if (value === '' || value.length > 200) return null
    params[name] = value
  }
  return params
}
