import { randomUUID } from 'node:crypto'
import { telemetry } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeTelemetryPointsCursor } from '../schemas/index.ts'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let org: Awaited<ReturnType<TestApi['registerOrg']>>
let vehicleId: string
const START = Date.UTC(2026, 10, 1, 8, 0, 0)
const RANGE = { from: new Date(START), to: new Date(START + 86_400_000) }
// Sorted, so the expected (time, device) order is easy to write down.
const DEVICES = [randomUUID(), randomUUID(), randomUUID()].sort()
const COUNT = 3 * 40

type Points = Awaited<ReturnType<typeof org.caller.telemetry.points>>['points']

/** Every (time, device) key as `<ms>/<device>`, in the order given. */
const keys = (points: Points) => points.map((p) => `${p.time.getTime()}/${p.deviceId}`)

async function walk(limit: number, range = RANGE, vehicle = vehicleId) {
  const pages: Points[] = []
  let cursor: string | null = null
  do {
    const page: Awaited<ReturnType<typeof org.caller.telemetry.points>> =
      await org.caller.telemetry.points({ vehicleId: vehicle, ...range, limit, cursor })
    pages.push(page.points)
    cursor = page.nextCursor
  } while (cursor !== null && pages.length < 1000)
  return pages
}

beforeAll(async () => {
  api = await createTestApi()
  org = await api.registerOrg()
  vehicleId = (await org.caller.vehicles.create({ code: 'P1', vin: makeVin() })).id
  // Three devices on one vehicle, each reporting the same 40 timestamps (10 s apart).
  await api.deps.db.insert(telemetry).values(
    Array.from({ length: COUNT }, (_, i) => ({
      time: new Date(START + Math.floor(i / 3) * 10_000),
      orgId: org.session.user.orgId,
      deviceId: DEVICES[i % 3] as string,
      vehicleId,
      lat: 52 + i / 1000,
      lon: 13,
      speed: i,
    })),
  )
})
afterAll(() => api?.close())

describe('telemetry.points', () => {
  it('walks every page to the same points as one ordered read', async () => {
    const all = await org.caller.telemetry.points({ vehicleId, ...RANGE, limit: 5000 })
    expect(all.nextCursor).toBeNull()
    expect(all.points).toHaveLength(COUNT)
    const expected = Array.from(
      { length: COUNT },
      (_, i) => `${START + Math.floor(i / 3) * 10_000}/${DEVICES[i % 3]}`,
    )
    expect(keys(all.points)).toEqual(expected)
    for (const limit of [1, 7, 30, COUNT - 1, COUNT]) {
      const pages = await walk(limit)
      expect(keys(pages.flat()), `limit ${limit}`).toEqual(expected)
      expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true)
    }
  })

  it('neither skips nor repeats equal-time points of several devices at a page edge', async () => {
    // Page edges fall after the 1st and 2nd of the three points sharing a timestamp.
    const first = await org.caller.telemetry.points({ vehicleId, ...RANGE, limit: 4 })
    expect(keys(first.points).at(-1)).toBe(`${START + 10_000}/${DEVICES[0]}`)
    const second = await org.caller.telemetry.points({
      vehicleId,
      ...RANGE,
      limit: 4,
      cursor: first.nextCursor,
    })
    expect(keys([...first.points, ...second.points])).toEqual([
      `${START}/${DEVICES[0]}`,
      `${START}/${DEVICES[1]}`,
      `${START}/${DEVICES[2]}`,
      `${START + 10_000}/${DEVICES[0]}`,
      `${START + 10_000}/${DEVICES[1]}`,
      `${START + 10_000}/${DEVICES[2]}`,
      `${START + 20_000}/${DEVICES[0]}`,
      `${START + 20_000}/${DEVICES[1]}`,
    ])
    expect(keys(second.points).at(-1)).toBe(`${START + 20_000}/${DEVICES[1]}`)
  })

  it('returns every stored reading a user may see, and no org id', async () => {
    const deviceId = randomUUID()
    const vehicle = (await org.caller.vehicles.create({ code: 'P2', vin: makeVin() })).id
    await api.deps.db.insert(telemetry).values({
      time: new Date(START),
      orgId: org.session.user.orgId,
      deviceId,
      vehicleId: vehicle,
      lat: 52.5,
      lon: 13.4,
      speed: 50,
      heading: 90,
      altitude: 34,
      rpm: 2100,
      fuel: 61,
      engineLoad: 40,
      coolantTemp: 88,
      odometer: 123_456.5,
      ignition: true,
      status: 'moving',
      swVersion: '1.2.3',
      attributes: { battery: 12.6, gps: 'fix', charging: false, note: null },
    })
    const { points, nextCursor } = await org.caller.telemetry.points({
      vehicleId: vehicle,
      ...RANGE,
    })
    expect(nextCursor).toBeNull()
    expect(points).toEqual([
      {
        time: new Date(START),
        deviceId,
        lat: 52.5,
        lon: 13.4,
        speed: 50,
        heading: 90,
        altitude: 34,
        rpm: 2100,
        fuel: 61,
        engineLoad: 40,
        coolantTemp: 88,
        odometer: 123_456.5,
        ignition: true,
        status: 'moving',
        accuracy: null,
        valid: null,
        driverId: null,
        attributes: { battery: 12.6, gps: 'fix', charging: false, note: null },
        quality: 'ok',
      },
    ])
    expect(JSON.stringify(points)).not.toContain(org.session.user.orgId)
  })

  it("flags each point's position quality as the engine judges it, first points of a page too", async () => {
    const deviceId = randomUUID()
    const vehicle = (await org.caller.vehicles.create({ code: 'P4', vin: makeVin() })).id
    // 40 s north at 36 km/h (10 m a second); at 10 s a fix 5 km off, at 20 s one the device
    // says is invalid, at 25 s one 500 m off with a 500 m accuracy.
    const special: Record<number, Partial<typeof telemetry.$inferInsert>> = {
      10: { lat: 52.545 },
      20: { lat: 52.6, valid: false },
      25: { lon: 13.407, accuracy: 500 },
    }
    await api.deps.db.insert(telemetry).values(
      Array.from({ length: 40 }, (_, i) => ({
        time: new Date(START + i * 1000),
        orgId: org.session.user.orgId,
        deviceId,
        vehicleId: vehicle,
        lat: 52.5 + (i * 0.01) / 111.2,
        lon: 13.4,
        ...special[i],
      })),
    )
    const flagged = (points: Points) =>
      points.flatMap((p) =>
        p.quality === 'ok' ? [] : [[(p.time.getTime() - START) / 1000, p.quality]],
      )
    const expected = [
      [10, 'outlier'],
      [20, 'invalid'],
      [25, 'invalid'],
    ]
    expect(flagged((await walk(1000, RANGE, vehicle)).flat())).toEqual(expected)
    // One point a page: each is judged after the points before it all the same.
    expect(flagged((await walk(1, RANGE, vehicle)).flat())).toEqual(expected)
    const fromOutlier = { from: new Date(START + 10_000), to: RANGE.to }
    expect(flagged((await walk(1000, fromOutlier, vehicle)).flat())).toEqual(expected)
  })

  it('keeps to [from, to)', async () => {
    const range = { from: new Date(START + 10_000), to: new Date(START + 30_000) }
    const pages = await walk(2, range)
    expect(pages.flat().map((p) => p.time.getTime())).toEqual([
      START + 10_000,
      START + 10_000,
      START + 10_000,
      START + 20_000,
      START + 20_000,
      START + 20_000,
    ])
  })

  it('answers BAD_REQUEST to a malformed or tampered cursor', async () => {
    const page = await org.caller.telemetry.points({ vehicleId, ...RANGE, limit: 5 })
    const good = page.nextCursor as string
    const forged = (payload: unknown) =>
      btoa(JSON.stringify(payload)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const bad = [
      'not a cursor',
      good.slice(0, -4),
      `${good}x`,
      forged({ v: vehicleId, t: 'yesterday', d: DEVICES[0] }),
      forged({ v: vehicleId, t: START, d: "' or 1=1 --" }),
      forged([1, 2, 3]),
      forged(null),
      'A'.repeat(300),
      // Well formed, but for another vehicle or outside the range asked for.
      encodeTelemetryPointsCursor({
        vehicleId: randomUUID(),
        time: new Date(START),
        deviceId: DEVICES[0] as string,
      }),
      encodeTelemetryPointsCursor({
        vehicleId,
        time: new Date(START - 1),
        deviceId: DEVICES[0] as string,
      }),
    ]
    for (const cursor of bad) {
      const error = await expectTRPCError(
        org.caller.telemetry.points({ vehicleId, ...RANGE, cursor }),
        'BAD_REQUEST',
      )
      expect(JSON.stringify(error.cause), cursor).toContain('Invalid cursor')
    }
  })

  it("answers NOT_FOUND for another organization's vehicle", async () => {
    const other = await api.registerOrg()
    await expectTRPCError(other.caller.telemetry.points({ vehicleId, ...RANGE }), 'NOT_FOUND')
    const page = await org.caller.telemetry.points({ vehicleId, ...RANGE, limit: 5 })
    await expectTRPCError(
      other.caller.telemetry.points({ vehicleId, ...RANGE, cursor: page.nextCursor }),
      'NOT_FOUND',
    )
  })

  it('answers BAD_REQUEST to a limit outside 1..5000 or a reversed range', async () => {
    for (const limit of [0, -1, 5001, 1.5]) {
      await expectTRPCError(
        org.caller.telemetry.points({ vehicleId, ...RANGE, limit }),
        'BAD_REQUEST',
      )
    }
    await expectTRPCError(
      org.caller.telemetry.points({ vehicleId, from: RANGE.to, to: RANGE.from }),
      'BAD_REQUEST',
    )
    expect(
      (await org.caller.telemetry.points({ vehicleId, ...RANGE, limit: 5000 })).points,
    ).toHaveLength(COUNT)
  })

  it('pages 1000 points by default', async () => {
    const deviceId = randomUUID()
    const vehicle = (await org.caller.vehicles.create({ code: 'P3', vin: makeVin() })).id
    await api.deps.db.insert(telemetry).values(
      Array.from({ length: 1001 }, (_, i) => ({
        time: new Date(START + i * 1000),
        orgId: org.session.user.orgId,
        deviceId,
        vehicleId: vehicle,
      })),
    )
    const first = await org.caller.telemetry.points({ vehicleId: vehicle, ...RANGE })
    expect(first.points).toHaveLength(1000)
    const rest = await org.caller.telemetry.points({
      vehicleId: vehicle,
      ...RANGE,
      cursor: first.nextCursor,
    })
    expect(rest.points.map((p) => p.time.getTime())).toEqual([START + 1_000_000])
    expect(rest.nextCursor).toBeNull()
  })
})
