import { afterEach, describe, expect, it } from 'vitest'
import { createScaledClock } from './clock.ts'
import { type RunOptions, runSimulation } from './run.ts'
import { type StubIngest, startStubIngest } from './testing/stub-ingest.ts'

/** Simulated seconds per real second: a 40 s run takes 2 s. */
const SCALE = 20

const deviceIds = (count: number) =>
  Array.from({ length: count }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)

function runAgainst(stub: StubIngest, overrides: Partial<RunOptions> = {}) {
  return runSimulation({
    server: stub.url,
    token: stub.token,
    deviceIds: deviceIds(4),
    rateHz: 2,
    durationSec: 10,
    seed: 9,
    center: { lat: 59.33, lon: 18.07 },
    radiusKm: 2,
    clock: createScaledClock({ startMs: Date.now(), scale: SCALE }),
    backoff: { baseMs: 500, capMs: 4000 },
    ...overrides,
  })
}

/** Every generated point was stored by the stub exactly once. */
function expectEachPointStoredOnce(stub: StubIngest, generated: number) {
  expect(stub.stored.size).toBe(generated)
  expect([...stub.stored.values()].every((count) => count === 1)).toBe(true)
}

describe('store-and-forward delivery', () => {
  const stubs: StubIngest[] = []
  afterEach(async () => {
    for (const stub of stubs.splice(0)) await stub.close()
  })

  it('retries after a 503 no sooner than Retry-After, then delivers everything', async () => {
    const stub = await startStubIngest({
      answer: (index) => (index < 2 ? { status: 503, headers: { 'retry-after': '2' } } : null),
    })
    stubs.push(stub)
    const summary = await runAgainst(stub, { uplinks: 1 })

    expect(summary).toMatchObject({ generated: 80, acknowledged: 80, pending: 0, retried: 2 })
    expect(summary.failures).toEqual({ 'HTTP 503': 2 })
    const [first, second, third] = stub.requests
    expect([first?.status, second?.status, third?.status]).toEqual([503, 503, 200])
    // Retry-After: 2 s of simulated time is 100 ms of real time at this scale.
    const retryAfterRealMs = 2000 / SCALE
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(retryAfterRealMs - 5)
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(retryAfterRealMs - 5)
    // The failed batches were sent again: the third request carries the first two's points too.
    expect(third?.points).toBeGreaterThan(first?.points ?? 0)
    expectEachPointStoredOnce(stub, summary.generated)
  })

  it('loses nothing across an outage: every point is stored exactly once afterwards', async () => {
    const stub = await startStubIngest()
    stubs.push(stub)
    // Down from 10 s to 25 s of the 40 s run (simulated time): connections refused.
    const down = setTimeout(() => void stub.takeDown(), 10_000 / SCALE)
    const up = setTimeout(() => void stub.bringUp(), 25_000 / SCALE)
    const summary = await runAgainst(stub, { durationSec: 40, deviceIds: deviceIds(6) })
    clearTimeout(down)
    clearTimeout(up)

    expect(summary.generated).toBe(6 * 2 * 40)
    expect(summary).toMatchObject({ pending: 0, dropped: 0, rejected: 0, duplicates: 0 })
    expect(summary.acknowledged).toBe(summary.generated)
    expect(summary.retried).toBeGreaterThan(0)
    expect(Object.keys(summary.failures)).toContain('network: ECONNREFUSED')
    expectEachPointStoredOnce(stub, summary.generated)
  })

  it('reports what it could not deliver when the server stays away', async () => {
    const stub = await startStubIngest({ answer: () => ({ status: 503 }) })
    stubs.push(stub)
    const summary = await runAgainst(stub, { durationSec: 4, drainTimeoutMs: 2000 })
    expect(summary.acknowledged).toBe(0)
    expect(summary.pending).toBe(summary.generated)
  })

  it('stops at once on a refused token', async () => {
    const stub = await startStubIngest()
    stubs.push(stub)
    const summary = await runAgainst(stub, { durationSec: 600, token: 'fmd_revoked' })
    expect(summary.error).toMatch(/^HTTP 401/)
    expect(summary.generated).toBeLessThan(4 * 2 * 600)
  })
})
