import { setTimeout as sleep } from 'node:timers/promises'
import { createTestDb } from '@fms/db/testing'
import {
  type ApiClient,
  createApiClient,
  type Fleet,
  type IngestAnswer,
  makePoints,
  postTelemetry,
  provisionFleet,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

// tokens.rotate: the previous device secret keeps working through a short grace window, then is
// refused like any bad token. A real PostgreSQL database, so the server can be restarted on it:
// `last_used_at` is written in batches, and at the latest when the server shuts down.
const GRACE_SEC = 2

let scratch: Awaited<ReturnType<typeof createTestDb>>
let server: RunningServer
/** The answer to a request with no token at all: every bad token must get exactly this. */
let refusal: IngestAnswer

function startOnScratch(env: Record<string, string> = {}): Promise<RunningServer> {
  return startTestServer({
    DATABASE_URL: scratch.url!,
    DEVICE_TOKEN_ROTATION_GRACE_SEC: String(GRACE_SEC),
    DEVICE_TOKEN_CACHE_SEC: '1',
    INGEST_RATE_LIMIT: '0',
    ...env,
  })
}

/** Stops the server (writing what it knows of last use) and starts it again on the same data. */
async function restart(): Promise<void> {
  await server.close()
  server = await startOnScratch()
}

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  server = await startOnScratch()
  const fleet = await provisionFleet(server.url)
  refusal = await postTelemetry(server.url, { body: makePoints(fleet.deviceIds[0], 1) })
})
afterAll(async () => {
  await server?.close()
  await scratch?.close()
})

function post(url: string, fleet: Fleet, token: string): Promise<IngestAnswer> {
  return postTelemetry(url, { token, body: makePoints(fleet.deviceIds[0], 1) })
}

function expectRefused(answer: IngestAnswer): void {
  expect(answer.status).toBe(401)
  expect(answer.text).toBe(refusal.text)
  expect(answer.headers.get('content-type')).toBe(refusal.headers.get('content-type'))
}

async function waitPast(time: Date | null): Promise<void> {
  expect(time).toBeInstanceOf(Date)
  const wait = (time?.getTime() ?? 0) - Date.now() + 100
  if (wait > 0) await sleep(wait)
}

async function lastUsedAt(api: ApiClient, id: string): Promise<Date | null> {
  const { items } = await api.tokens.list.query({})
  return items.find((token) => token.id === id)?.lastUsedAt ?? null
}

describe('a rotated device token', () => {
  it('accepts the old and the new secret within the grace, then the old one gets the 401 of any bad token', async () => {
    const fleet = await provisionFleet(server.url)
    const old = fleet.token.secret
    expect((await post(server.url, fleet, old)).status).toBe(200)

    const rotated = await fleet.api.tokens.rotate.mutate({ id: fleet.token.id })
    expect(rotated.secret).not.toBe(old)
    expect(rotated.previousExpiresAt?.getTime()).toBe(
      (rotated.rotatedAt?.getTime() ?? 0) + GRACE_SEC * 1000,
    )
    expect(await post(server.url, fleet, old)).toMatchObject({ status: 200, body: { accepted: 1 } })
    expect(await post(server.url, fleet, rotated.secret)).toMatchObject({
      status: 200,
      body: { accepted: 1 },
    })

    await waitPast(rotated.previousExpiresAt)
    expectRefused(await post(server.url, fleet, old))
    expect((await post(server.url, fleet, rotated.secret)).status).toBe(200)
  })

  it('serves OsmAnd with the old secret within the grace and refuses it after', async () => {
    const fleet = await provisionFleet(server.url)
    await fleet.api.devices.update.mutate({ id: fleet.deviceIds[0]!, externalId: 'imei-rotate' })
    const osmand = (token: string) =>
      fetch(`${server.url}/osmand/${encodeURIComponent(token)}?id=imei-rotate&lat=1&lon=2`)
    const rotated = await fleet.api.tokens.rotate.mutate({ id: fleet.token.id })
    expect((await osmand(fleet.token.secret)).status).toBe(200)
    expect((await osmand(rotated.secret)).status).toBe(200)

    await waitPast(rotated.previousExpiresAt)
    const badToken = await osmand(`fmd_AAAAAAAA_${'A'.repeat(43)}`)
    const old = await osmand(fleet.token.secret)
    expect(old.status).toBe(401)
    expect(await old.text()).toBe(await badToken.text())
    expect((await osmand(rotated.secret)).status).toBe(200)
  })

  it('keeps only the newest previous secret when rotated again within the grace', async () => {
    const fleet = await provisionFleet(server.url)
    const first = await fleet.api.tokens.rotate.mutate({ id: fleet.token.id })
    const second = await fleet.api.tokens.rotate.mutate({ id: fleet.token.id })
    expectRefused(await post(server.url, fleet, fleet.token.secret))
    expect((await post(server.url, fleet, first.secret)).status).toBe(200)
    expect((await post(server.url, fleet, second.secret)).status).toBe(200)
  })

  it('refuses both secrets once the token is revoked', async () => {
    const fleet = await provisionFleet(server.url)
    const rotated = await fleet.api.tokens.rotate.mutate({ id: fleet.token.id })
    expect((await post(server.url, fleet, fleet.token.secret)).status).toBe(200)
    expect((await post(server.url, fleet, rotated.secret)).status).toBe(200)
    await fleet.api.tokens.revoke.mutate({ id: fleet.token.id })
    // A revocation reaches cached tokens within DEVICE_TOKEN_CACHE_SEC (1 s here).
    await sleep(1100)
    expectRefused(await post(server.url, fleet, fleet.token.secret))
    expectRefused(await post(server.url, fleet, rotated.secret))
  })

  it('advances the last used time with the old secret and with the new one', async () => {
    const fleet = await provisionFleet(server.url)
    const rotated = await fleet.api.tokens.rotate.mutate({ id: fleet.token.id })
    const beforeOld = new Date()
    expect((await post(server.url, fleet, fleet.token.secret)).status).toBe(200)
    await restart()
    let api = createApiClient(server.url, fleet.accessToken)
    const afterOld = await lastUsedAt(api, fleet.token.id)
    expect(afterOld?.getTime()).toBeGreaterThanOrEqual(beforeOld.getTime())

    const beforeNew = new Date()
    expect((await post(server.url, fleet, rotated.secret)).status).toBe(200)
    await restart()
    api = createApiClient(server.url, fleet.accessToken)
    expect((await lastUsedAt(api, fleet.token.id))?.getTime()).toBeGreaterThanOrEqual(
      beforeNew.getTime(),
    )
  })
})

describe('a rotated device token under a long token cache', () => {
  let cached: RunningServer
  beforeAll(async () => {
    cached = await startTestServer({
      DEVICE_TOKEN_ROTATION_GRACE_SEC: String(GRACE_SEC),
      DEVICE_TOKEN_CACHE_SEC: '60',
      INGEST_RATE_LIMIT: '0',
    })
  })
  afterAll(() => cached?.close())

  it('refuses the cached old secret when its grace ends, long before the cache entry would', async () => {
    const fleet = await provisionFleet(cached.url)
    const rotated = await fleet.api.tokens.rotate.mutate({ id: fleet.token.id })
    expect((await post(cached.url, fleet, fleet.token.secret)).status).toBe(200)
    expect((await post(cached.url, fleet, rotated.secret)).status).toBe(200)

    await waitPast(rotated.previousExpiresAt)
    const old = await post(cached.url, fleet, fleet.token.secret)
    expect(old.status).toBe(401)
    expect(old.text).toBe(refusal.text)
    expect((await post(cached.url, fleet, rotated.secret)).status).toBe(200)
  })
})
