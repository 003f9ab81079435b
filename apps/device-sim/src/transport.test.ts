import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type StubAnswer, startStubIngest } from './testing/stub-ingest.ts'
import { computeBackoffMs, parseRetryAfter, postTelemetry } from './transport.ts'

const DEVICE = '00000000-0000-4000-8000-000000000001'
const POINTS = [{ device_id: DEVICE, time: Date.UTC(2026, 0, 1), lat: 52.5, lon: 13.4, speed: 10 }]

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000)
    const now = Date.UTC(2026, 0, 1, 12)
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:05 GMT', now)).toBe(5000)
  })

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter('soon')).toBeUndefined()
  })
})

describe('computeBackoffMs', () => {
  const base = { baseMs: 500, capMs: 30_000 }

  it('waits a uniform share of an exponentially growing ceiling (full jitter)', () => {
    expect(computeBackoffMs({ ...base, attempt: 1, random: () => 0.999 })).toBeCloseTo(500, -1)
    expect(computeBackoffMs({ ...base, attempt: 3, random: () => 0.5 })).toBe(1000)
    expect(computeBackoffMs({ ...base, attempt: 1, random: () => 0 })).toBe(0)
  })

  it('never waits longer than the cap', () => {
    expect(computeBackoffMs({ ...base, attempt: 30, random: () => 0.999 })).toBeLessThan(30_000)
  })

  it('never retries sooner than Retry-After', () => {
    expect(computeBackoffMs({ ...base, attempt: 1, retryAfterMs: 1500, random: () => 0 })).toBe(
      1500,
    )
  })
})

describe('postTelemetry', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  async function postTo(answer: StubAnswer | null, token?: string) {
    const stub = await startStubIngest({ answer: () => answer })
    cleanups.push(stub.close)
    return postTelemetry({
      server: stub.url,
      token: token ?? stub.token,
      points: POINTS,
      timeoutMs: 5000,
    })
  }

  it('answers delivered with the server result on 200', async () => {
    expect(await postTo(null)).toMatchObject({
      kind: 'delivered',
      status: 200,
      result: { accepted: 1, duplicates: 0, rejected: [] },
    })
  })

  it('answers retry with Retry-After on 503 and 429', async () => {
    const unavailable = await postTo({ status: 503, headers: { 'retry-after': '2' } })
    expect(unavailable).toMatchObject({ kind: 'retry', status: 503, retryAfterMs: 2000 })
    expect(await postTo({ status: 429, headers: { 'retry-after': '1' } })).toMatchObject({
      kind: 'retry',
      retryAfterMs: 1000,
    })
  })

  it('answers fatal to a refused token, too_large to 413', async () => {
    expect(await postTo(null, 'fmd_wrong')).toMatchObject({ kind: 'fatal', status: 401 })
    expect(await postTo({ status: 413 })).toMatchObject({ kind: 'too_large' })
  })

  it('answers retry when the connection is refused', async () => {
    const stub = await startStubIngest()
    await stub.close()
    const outcome = await postTelemetry({
      server: stub.url,
      token: 't',
      points: POINTS,
      timeoutMs: 5000,
    })
    expect(outcome).toEqual({ kind: 'retry', reason: 'network: ECONNREFUSED' })
  })

  it('gives up on a server that never answers, as a retry', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    cleanups.push(async () => {
      silent.closeAllConnections()
      await new Promise((resolve) => silent.close(resolve))
    })
    const { port } = silent.address() as AddressInfo
    const outcome = await postTelemetry({
      server: `http://127.0.0.1:${port}`,
      token: 't',
      points: POINTS,
      timeoutMs: 200,
    })
    expect(outcome).toEqual({ kind: 'retry', reason: 'timeout' })
  })
})
