import { type ApiClient, createApiClient, DEFAULTS, readErrorCode } from '@fms/device-sim'

/** The demo organization and its admin, printed when the demo starts. */
export const DEMO_ACCOUNT = {
  email: 'demo@example.com',
  password: 'demo-fleet-2026',
  orgName: 'FMS Demo Fleet',
} as const

/** Where the simulated fleet drives (the simulator's default centre: Berlin Mitte). */
export const DEMO_CENTER = DEFAULTS.center

/**
 * Signs in as the demo admin, registering the demo organization on the first run; answers the
 * access token.
 */
export async function ensureDemoAccount(server: string): Promise<string> {
  const api = createApiClient(server)
  try {
    const answer = await api.auth.login.mutate(DEMO_ACCOUNT)
    if (answer.status !== 'signed_in') {
      throw new Error(`${DEMO_ACCOUNT.email} has two-factor sign-in on: sign in in the web app`)
    }
    return answer.accessToken
  } catch (error) {
    if (readErrorCode(error) !== 'UNAUTHORIZED') throw error
  }
  try {
    const answer = await api.auth.register.mutate(DEMO_ACCOUNT)
    if (answer.status !== 'signed_in') {
      throw new Error(
        `Email is on: follow the link mailed to ${DEMO_ACCOUNT.email}, then run the seed again`,
      )
    }
    return answer.accessToken
  } catch (error) {
    if (readErrorCode(error) !== 'CONFLICT') throw error
    throw new Error(
      `${DEMO_ACCOUNT.email} exists with another password; sign in with yours, or remove the server's data folder (apps/server/.data) to start afresh`,
    )
  }
}

/** The depot the demo's geofence rule watches: a circle in the middle of the fleet's area. */
export const DEMO_DEPOT = {
  name: 'Mitte depot',
  shape: { type: 'circle', lat: DEMO_CENTER.lat, lon: DEMO_CENTER.lon, radiusM: 1000 },
} as const

/**
 * The rules the demo starts with, chosen against what the simulator does: drivers race at
 * 100-125 km/h now and then, engines overrev and overheat, tanks run low before refuelling and
 * sometimes lose fuel at once, vehicles wait at red lights and cross the centre.
 */
export const DEMO_RULES = [
  { kind: 'overspeed', threshold: 90, durationSec: 10 },
  { kind: 'high_rpm', threshold: 4500, durationSec: 10 },
  { kind: 'overheat', threshold: 105, durationSec: 30 },
  { kind: 'low_fuel', threshold: 15 },
  { kind: 'fuel_drop', threshold: 10, durationSec: 300 },
  { kind: 'idle', threshold: 3, durationSec: 30 },
] as const

/**
 * Gives a new demo organization its rules and the depot geofence, so the alerts page and the
 * map show what FMS does from the first minutes. An organization that has rules already (an
 * earlier run, or the user's own) is left as it is. Answers how many rules it created.
 */
export async function seedDemoRules(api: ApiClient): Promise<number> {
  const existing = await api.rules.list.query({ limit: 1 })
  if (existing.items.length > 0) return 0
  const depot = await api.geofences.create.mutate(DEMO_DEPOT)
  const rules = [...DEMO_RULES, { kind: 'geofence_enter', geofenceId: depot.id } as const]
  for (const rule of rules) await api.rules.create.mutate(rule)
  return rules.length
}
