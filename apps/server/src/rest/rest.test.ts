import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { REST_ROUTES } from '@fms/api'
import { sql } from '@fms/db'
import { rowsOf } from '@fms/db/queries/rows'
import {
  createApiClient,
  type Fleet,
  postTelemetry,
  provisionFleet,
  randomVin,
  requireSignedIn,
  uniqueEmail,
} from '@fms/testkit'
import { compileErrors, validate } from '@readme/openapi-parser'
import createClient from 'openapi-fetch'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server.ts'
import { startTestServer } from '../testing/server.ts'
import { waitUntil } from '../testing/wait.ts'
import type { paths } from './testing/api-v1.generated.ts'
import { generateRestTypes, REST_TYPES_FILE } from './testing/rest-types.ts'

/** Calls per key per minute on this server: low, so the limit is reached in a few calls. */
const KEY_RATE_LIMIT = 30
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000'

let server: RunningServer
let fleet: Fleet
let other: Fleet
let document: { paths: Record<string, Record<string, unknown>> } & Record<string, unknown>

type Vehicle = { id: string; orgId: string; code: string; vin: string; model: string | null }
type Problem = {
  status: number
  code: string
  detail: string
  fieldErrors?: Record<string, string[]>
}

async function createKey(scope: 'read' | 'write', api = fleet.api) {
  return api.apiKeys.create.mutate({ name: `${scope} key`, scope })
}

/** A raw call to the REST API. */
async function rest(
  method: string,
  path: string,
  options: { token?: string | undefined; body?: unknown; rawBody?: string; type?: string } = {},
) {
  const headers: Record<string, string> = {}
  if (options.token) headers.authorization = `Bearer ${options.token}`
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  if (body !== undefined) headers['content-type'] = options.type ?? 'application/json'
  const response = await fetch(`${server.url}/api/v1${path}`, { method, headers, body })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text ? JSON.parse(text) : undefined,
  }
}

async function vehicleCodes(api = fleet.api): Promise<string[]> {
  const { items } = await api.vehicles.list.query({ limit: 100 })
  return items.map((vehicle) => vehicle.code).sort()
}

beforeAll(async () => {
  server = await startTestServer({ API_KEY_RATE_LIMIT: String(KEY_RATE_LIMIT) })
  fleet = await provisionFleet(server.url, { vehicles: 2 })
  other = await provisionFleet(server.url, { orgName: 'Other' })
  document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as typeof document
})
afterAll(() => server?.close())

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0')
    const result = await validate(structuredClone(document) as never)
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)
  })

  it('lists exactly the routes the server serves', () => {
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    )
    const served = REST_ROUTES.map((route) => `${route.method} ${route.path}`)
    expect(documented.sort()).toEqual(served.sort())
    expect(documented).toEqual(
      expect.arrayContaining(['GET /vehicles', 'GET /alerts', 'GET /reports/trips']),
    )
  })

  it('has a route for every documented operation (none answers "No such route")', async () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        const concrete = path.replace(/\{\w+\}/g, UNKNOWN_ID)
        const hasBody = method === 'post' || method === 'patch'
        const answer = await rest(method.toUpperCase(), concrete, {
          token: fleet.accessToken,
          body: hasBody ? {} : undefined,
        })
        const what = `${method} ${path}: ${answer.text}`
        expect(answer.body?.detail, what).not.toBe('No such route')
        expect([405, 500], what).not.toContain(answer.status)
      }
    }
  })

  it('answers an undocumented route 404 and a wrong method 405', async () => {
    expect((await rest('GET', '/users', { token: fleet.accessToken })).status).toBe(404)
    expect((await rest('GET', '/vehicles/x/y/z', { token: fleet.accessToken })).status).toBe(404)
    const wrongMethod = await rest('PUT', '/vehicles', { token: fleet.accessToken, body: {} })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST')
  })

  it('is what the committed client types were generated from', async () => {
    const committed = await readFile(REST_TYPES_FILE, 'utf8')
    expect(
      committed === (await generateRestTypes(document)),
      'the REST types are stale: run `pnpm --filter @fms/server rest:types`',
    ).toBe(true)
  })

  it('has a reference page at /api/docs: every route, no script, the strict CSP', async () => {
    const response = await fetch(`${server.url}/api/docs`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await response.text()
    expect(html).not.toMatch(/<script/i)
    for (const route of REST_ROUTES) expect(html).toContain(`/api/v1${route.path}`)
  })
})

describe('a typed client with a write key', () => {
  it('creates, reads, pages, updates and deletes vehicles', async () => {
    const key = await createKey('write')
    const client = createClient<paths>({
      baseUrl: `${server.url}/api/v1`,
      headers: { Authorization: `Bearer ${key.secret}` },
    })
    const created = await client.POST('/vehicles', {
      body: { code: 'REST-1', vin: randomVin(), model: 'Sprinter' },
    })
    expect(created.response.status).toBe(201)
    const vehicle = created.data as Vehicle
    expect(vehicle).toMatchObject({ code: 'REST-1', model: 'Sprinter', orgId: fleet.orgId })

    const read = await client.GET('/vehicles/{id}', { params: { path: { id: vehicle.id } } })
    expect((read.data as Vehicle).code).toBe('REST-1')

    const codes: string[] = []
    let cursor: string | undefined
    do {
      const page = await client.GET('/vehicles', {
        params: { query: { limit: 1, sort: 'code', order: 'asc', cursor } },
      })
      expect(page.response.status).toBe(200)
      const data = page.data as { items: Vehicle[]; nextCursor: string | null }
      expect(data.items.length).toBeLessThanOrEqual(1)
      codes.push(...data.items.map((item) => item.code))
      cursor = data.nextCursor ?? undefined
    } while (cursor)
    expect(codes).toEqual(await vehicleCodes())

    const updated = await client.PATCH('/vehicles/{id}', {
      params: { path: { id: vehicle.id } },
      body: { model: 'Crafter' },
    })
    expect((updated.data as Vehicle).model).toBe('Crafter')

    const removed = await client.DELETE('/vehicles/{id}', { params: { path: { id: vehicle.id } } })
    expect(removed.response.status).toBe(200)
    const gone = await client.GET('/vehicles/{id}', { params: { path: { id: vehicle.id } } })
    expect(gone.response.status).toBe(404)
    expect(gone.error).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      detail: 'Vehicle not found',
    })
  })

  it('reads telemetry, alerts and reports with a read key', async () => {
    const key = await createKey('read')
    const client = createClient<paths>({
      baseUrl: `${server.url}/api/v1`,
      headers: { Authorization: `Bearer ${key.secret}` },
    })
    const t0 = Math.floor((Date.now() - 600_000) / 1000) * 1000
    const posted = await postTelemetry(server.url, {
      token: fleet.token.secret,
      body: [0, 1, 2].map((i) => ({
        device_id: fleet.vehicle.deviceId,
        time: new Date(t0 + i * 1000).toISOString(),
        lat: 52.5,
        lon: 13.4 + i / 1000,
        speed: 30,
      })),
    })
    expect(posted.status).toBe(200)
    const from = new Date(t0 - 1000).toISOString()
    const to = new Date().toISOString()
    const times: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = await client.GET('/vehicles/{vehicleId}/points', {
        params: { path: { vehicleId: fleet.vehicle.id }, query: { from, to, limit: 2, cursor } },
      })
      expect(page.response.status).toBe(200)
      const data = page.data as { points: { time: string }[]; nextCursor: string | null }
      times.push(...data.points.map((point) => point.time))
      cursor = data.nextCursor ?? undefined
      pages++
    } while (cursor)
    expect(pages).toBe(2)
    expect(times).toEqual([0, 1, 2].map((i) => new Date(t0 + i * 1000).toISOString()))
    expect((await client.GET('/telemetry/latest')).response.status).toBe(200)
    expect(
      (await client.GET('/alerts', { params: { query: { isAcknowledged: false } } })).response
        .status,
    ).toBe(200)
    const trips = await client.GET('/reports/trips', { params: { query: { from, to } } })
    expect(trips.response.status).toBe(200)
  })
})

describe('API key authorization', () => {
  it('refuses a read key every write (403) and changes nothing', async () => {
    const key = await createKey('read')
    const before = await vehicleCodes()
    const attempts = [
      rest('POST', '/vehicles', { token: key.secret, body: { code: 'NOPE', vin: randomVin() } }),
      rest('PATCH', `/vehicles/${fleet.vehicle.id}`, { token: key.secret, body: { code: 'NOPE' } }),
      rest('DELETE', `/vehicles/${fleet.vehicle.id}`, { token: key.secret }),
    ]
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(403)
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      expect(answer.body).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    }
    expect(await vehicleCodes()).toEqual(before)
    expect((await rest('GET', '/vehicles', { token: key.secret })).status).toBe(200)
  })

  it('answers 401 to a revoked key, an expired key, a bad key and no key', async () => {
    const revoked = await createKey('write')
    expect((await rest('GET', '/vehicles', { token: revoked.secret })).status).toBe(200)
    await fleet.api.apiKeys.revoke.mutate({ id: revoked.id })
    const expired = await createKey('write')
    await server.db.db.execute(
      sql`update api_keys set expires_at = now() - interval '1 second' where id = ${expired.id}`,
    )
    const tampered = `${revoked.secret.slice(0, -2)}A${revoked.secret.slice(-1)}`
    for (const token of [revoked.secret, expired.secret, tampered, 'fmk_nonsense', undefined]) {
      const answer = await rest('GET', '/vehicles', { token })
      expect(answer.status, String(token)).toBe(401)
      expect(answer.headers.get('www-authenticate')).toBe('Bearer')
      expect(answer.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
    }
  })

  it("answers 404 for another organization's objects and leaves them unchanged", async () => {
    const key = await createKey('write')
    const theirs = other.vehicle.id
    for (const [method, body] of [['GET'], ['PATCH', { code: 'MINE' }], ['DELETE']] as const) {
      const answer = await rest(method, `/vehicles/${theirs}`, { token: key.secret, body })
      expect(answer.status, method).toBe(404)
      expect(answer.body).toMatchObject({ code: 'NOT_FOUND', detail: 'Vehicle not found' })
    }
    expect(await vehicleCodes(other.api)).toEqual([other.vehicle.code])
    const list = await rest('GET', '/vehicles?limit=100', { token: key.secret })
    expect(list.body.items.map((v: Vehicle) => v.orgId)).not.toContain(other.orgId)
  })

  it('applies roles as over tRPC: a user-role access token reads but may not write', async () => {
    const email = uniqueEmail('member')
    await fleet.api.users.create.mutate({
      email,
      password: 'correct horse battery staple',
      role: 'user',
    })
    const session = requireSignedIn(
      await createApiClient(server.url).auth.login.mutate({
        email,
        password: 'correct horse battery staple',
      }),
    )
    expect((await rest('GET', '/vehicles', { token: session.accessToken })).status).toBe(200)
    const write = await rest('POST', '/vehicles', {
      token: session.accessToken,
      body: { code: 'USER-1', vin: randomVin() },
    })
    expect(write.status).toBe(403)
  })

  it('limits calls per key: 429 with Retry-After past the limit, other keys unaffected', async () => {
    const busy = await createKey('read')
    const calm = await createKey('read')
    const statuses: number[] = []
    for (let i = 0; i <= KEY_RATE_LIMIT; i++) {
      statuses.push((await rest('GET', '/telemetry/latest', { token: busy.secret })).status)
    }
    expect(statuses.slice(0, KEY_RATE_LIMIT).every((status) => status === 200)).toBe(true)
    const limited = await rest('GET', '/telemetry/latest', { token: busy.secret })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(limited.body).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' })
    expect((await rest('GET', '/telemetry/latest', { token: calm.secret })).status).toBe(200)
  })
})

describe('API keys at rest', () => {
  it('shows the secret once: lists carry the prefix only, the database a digest only', async () => {
    const key = await createKey('write')
    expect(key.secret).toMatch(/^fmk_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/)
    expect((await rest('GET', '/vehicles', { token: key.secret })).status).toBe(200)
    const listed = await fleet.api.apiKeys.list.query({ includeRevoked: true, limit: 100 })
    expect(JSON.stringify(listed)).not.toContain(key.secret.slice(13))
    const row = listed.items.find((item) => item.id === key.id)
    expect(row).toBeDefined()
    expect(row).not.toHaveProperty('secret')
    expect(row).not.toHaveProperty('keyHash')
    const stored = rowsOf<Record<string, unknown>>(
      await server.db.db.execute(sql`select * from api_keys where id = ${key.id}`),
    )[0]
    expect(stored?.key_hash).toBe(createHash('sha256').update(key.secret).digest('hex'))
    expect(JSON.stringify(stored)).not.toContain(key.secret.slice(13))
  })

  it('shows when and from where a key was last used', async () => {
    const key = await createKey('read')
    expect((await rest('GET', '/vehicles', { token: key.secret })).status).toBe(200)
    await waitUntil(
      async () => {
        const { items } = await fleet.api.apiKeys.list.query({})
        return items.some((item) => item.id === key.id && item.lastUsedAt !== null)
      },
      { timeoutMs: 10_000, what: 'lastUsedAt' },
    )
    const { items } = await fleet.api.apiKeys.list.query({})
    expect(items.find((item) => item.id === key.id)?.lastUsedIp).toBe('127.0.0.1')
  })

  it('is not taken by tRPC: only the REST API accepts keys', async () => {
    const key = await createKey('write')
    const response = await fetch(`${server.url}/trpc/vehicles.list`, {
      headers: { authorization: `Bearer ${key.secret}` },
    })
    expect(response.status).toBe(401)
  })
})

describe('hostile input', () => {
  it('answers 400 with the fields at fault and changes nothing', async () => {
    const key = await createKey('write')
    const before = await vehicleCodes()
    const cases: {
      answer: Promise<Awaited<ReturnType<typeof rest>>>
      status: number
      field?: string
    }[] = [
      {
        answer: rest('POST', '/vehicles', { token: key.secret, body: { code: 'BAD', vin: 'x' } }),
        status: 400,
        field: 'vin',
      },
      { answer: rest('POST', '/vehicles', { token: key.secret, body: [] }), status: 400 },
      {
        answer: rest('POST', '/vehicles', { token: key.secret, rawBody: '{"code":' }),
        status: 400,
      },
      {
        answer: rest('POST', '/vehicles', { token: key.secret, rawBody: '{}', type: 'text/plain' }),
        status: 415,
      },
      {
        answer: rest('GET', '/vehicles?limit=abc', { token: key.secret }),
        status: 400,
        field: 'limit',
      },
      {
        answer: rest('GET', '/vehicles?limit=1&limit=2', { token: key.secret }),
        status: 400,
        field: 'limit',
      },
      {
        answer: rest('GET', '/vehicles/not-a-uuid', { token: key.secret }),
        status: 400,
        field: 'id',
      },
      {
        answer: rest('PATCH', `/vehicles/${fleet.vehicle.id}`, {
          token: key.secret,
          body: { id: other.vehicle.id, code: 'X' },
        }),
        status: 400,
        field: 'id',
      },
      {
        answer: rest('POST', '/vehicles', {
          token: key.secret,
          rawBody: JSON.stringify({
            code: 'BIG',
            vin: randomVin(),
            description: 'x'.repeat(2_000_000),
          }),
        }),
        status: 413,
      },
    ]
    for (const { answer, status, field } of cases) {
      const { status: got, body } = await answer
      expect(got, JSON.stringify(body)).toBe(status)
      const problem = body as Problem
      expect(problem.status).toBe(status)
      expect(problem.detail.length).toBeGreaterThan(0)
      if (field)
        expect(problem.fieldErrors?.[field]?.length, JSON.stringify(body)).toBeGreaterThan(0)
    }
    expect(await vehicleCodes()).toEqual(before)
  })

  it("ignores an orgId or __proto__ in the body: the object is the caller organization's", async () => {
    const key = await createKey('write')
    const answer = await rest('POST', '/vehicles', {
      token: key.secret,
      rawBody: `{"code":"OWN-1","vin":"${randomVin()}","orgId":"${other.orgId}","__proto__":{"isAdmin":true}}`,
    })
    expect(answer.status).toBe(201)
    expect(answer.body.orgId).toBe(fleet.orgId)
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(await vehicleCodes(other.api)).toEqual([other.vehicle.code])
  })
})
