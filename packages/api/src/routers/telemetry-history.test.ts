import { randomUUID } from 'node:crypto'
import { telemetry } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let org: Awaited<ReturnType<TestApi['registerOrg']>>
let vehicleId: string
const START = Date.UTC(2026, 10, 1, 8, 0, 0)

beforeAll(async () => {
  api = await createTestApi()
  org = await api.registerOrg()
  vehicleId = (await org.caller.vehicles.create({ code: 'H1', vin: makeVin() })).id
  const deviceId = randomUUID()
  // 100 points, one a minute; speed climbs 0..99.
  await api.deps.db.insert(telemetry).values(
    Array.from({ length: 100 }, (_, i) => ({
      time: new Date(START + i * 60_000),
      orgId: org.session.user.orgId,
      deviceId,
      vehicleId,
      lat: 52 + i / 1000,
      lon: 13,
      speed: i,
    })),
  )
})
afterAll(() => api?.close())

describe('telemetry.history', () => {
  it('returns the raw points of a range when they are few enough', async () => {
    const history = await org.caller.telemetry.history({
      vehicleId,
      from: new Date(START),
      to: new Date(START + 30 * 60_000),
    })
    expect(history.bucketSec).toBeNull()
    expect(history.points.map((p) => p.speed)).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })

  it('downsamples into time buckets with averaged readings and the last position', async () => {
    const history = await org.caller.telemetry.history({
      vehicleId,
      from: new Date(START),
      to: new Date(START + 100 * 60_000),
      maxPoints: 10,
    })
    expect(history.bucketSec).toBe(600)
    expect(history.points).toHaveLength(10)
    expect(history.points[0]).toMatchObject({ speed: 4.5, lat: 52.009, time: new Date(START) })
  })

  it("keeps a bucket's last known position when its newest point has none", async () => {
    const deviceId = randomUUID()
    const vehicle = (await org.caller.vehicles.create({ code: 'H2', vin: makeVin() })).id
    const base = { orgId: org.session.user.orgId, deviceId, vehicleId: vehicle }
    await api.deps.db.insert(telemetry).values([
      ...Array.from({ length: 20 }, (_, i) => ({
        ...base,
        time: new Date(START + i * 1000),
        lat: 50 + i,
        lon: 10,
      })),
      { ...base, time: new Date(START + 20_000), lat: null, lon: null, speed: 5 },
    ])
    const history = await org.caller.telemetry.history({
      vehicleId: vehicle,
      from: new Date(START),
      to: new Date(START + 21_000),
      maxPoints: 10,
    })
    expect(history.bucketSec).not.toBeNull()
    expect(history.points.at(-1)).toMatchObject({ lat: 69, lon: 10 })
  })

  it("answers NOT_FOUND for another organization's vehicle", async () => {
    const other = await api.registerOrg()
    await expectTRPCError(
      other.caller.telemetry.history({
        vehicleId,
        from: new Date(START),
        to: new Date(START + 1000),
      }),
      'NOT_FOUND',
    )
  })

  it('answers BAD_REQUEST to a reversed or too long range', async () => {
    await expectTRPCError(
      org.caller.telemetry.history({ vehicleId, from: new Date(START), to: new Date(START - 1) }),
      'BAD_REQUEST',
    )
    await expectTRPCError(
      org.caller.telemetry.history({
        vehicleId,
        from: new Date(START),
        to: new Date(START + 100 * 86_400_000),
      }),
      'BAD_REQUEST',
    )
  })
})
