import { randomUUID } from 'node:crypto'
import { insertTelemetry } from '@fms/db/queries/activity'
import { upsertAlerts } from '@fms/db/queries/alerts'
import { activityDirty, vehicles } from '@fms/db/schema'
import {
  type DailySummary,
  detectTrips,
  RULE_KINDS,
  type RuleKind,
  roundSummary,
  summarizeDays,
  sumSummaries,
  toLitres,
} from '@fms/engine'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAILY_MAX_VEHICLES } from '../schemas/reports.ts'
import { refreshActivity } from '../services/activity.ts'
import { countsSent } from '../services/reports.ts'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi
let org: Awaited<ReturnType<TestApi['registerOrg']>>
let other: Awaited<ReturnType<TestApi['registerOrg']>>
let vehicleId: string
let idleVehicleId: string
let otherVehicleId: string
let orgId: string
const DAY = Date.UTC(2026, 10, 2)
const START = DAY + 8 * 3_600_000
const STEP_MS = 10_000

/** 2 min standing, 20 min at 60 km/h due north, 10 min standing: one trip of about 20 km. */
function craftPoints() {
  const points: { time: number; lat: number; lon: number; speed: number; ignition: boolean }[] = []
  let lat = 52
  for (let i = 0; i < 192; i++) {
    const isMoving = i >= 12 && i < 132
    if (isMoving) lat += (60 / 3600 / 111.2) * (STEP_MS / 1000)
    points.push({
      time: START + i * STEP_MS,
      lat,
      lon: 13,
      speed: isMoving ? 60 : 0,
      ignition: true,
    })
  }
  return points
}
const POINTS = craftPoints()

beforeAll(async () => {
  api = await createTestApi()
  org = await api.registerOrg()
  other = await api.registerOrg()
  orgId = org.session.user.orgId
  vehicleId = (await org.caller.vehicles.create({ code: 'R1', vin: makeVin() })).id
  idleVehicleId = (await org.caller.vehicles.create({ code: 'R2', vin: makeVin() })).id
  otherVehicleId = (await other.caller.vehicles.create({ code: 'X1', vin: makeVin() })).id
  const deviceId = randomUUID()
  await insertTelemetry(
    api.deps.db,
    POINTS.map((p) => ({ ...p, time: new Date(p.time), orgId, deviceId, vehicleId })),
  )
  await upsertAlerts(api.deps.db, [
    {
      orgId,
      vehicleId,
      ruleId: null,
      kind: 'overspeed',
      key: `r:${vehicleId}:${START}`,
      time: new Date(START + 300_000),
      endTime: new Date(START + 360_000),
      emittedAt: new Date(START + 360_000),
      value: 61,
      message: '=HYPERLINK("http://evil","click")',
    },
  ])
})
afterAll(() => api?.close())

describe('reports.trips', () => {
  it('finds the trip in the stored points, as the pure function does', async () => {
    const report = await org.caller.reports.trips({
      vehicleId,
      from: new Date(DAY),
      to: new Date(DAY + 86_400_000),
    })
    expect(report.trips).toHaveLength(1)
    const [trip] = report.trips
    expect(trip).toEqual({
      ...detectTrips(POINTS).trips[0],
      vehicleId,
      vehicleCode: 'R1',
      driverId: null,
      driverName: null,
    })
    expect(trip!.distanceKm).toBeGreaterThan(19)
    expect(trip!.distanceKm).toBeLessThan(21)
    expect(trip!.isComplete).toBe(true)
  })

  it('covers every vehicle of the organization without vehicleId, and only trips starting in range', async () => {
    const all = await org.caller.reports.trips({
      from: new Date(DAY),
      to: new Date(DAY + 86_400_000),
    })
    expect(all.trips.map((t) => t.vehicleId)).toEqual([vehicleId])
    const later = await org.caller.reports.trips({
      from: new Date(START + 3_600_000),
      to: new Date(DAY + 86_400_000),
    })
    expect(later.trips).toEqual([])
  })

  it('answers NOT_FOUND for a vehicle of another organization', async () => {
    await expectTRPCError(
      org.caller.reports.trips({
        vehicleId: otherVehicleId,
        from: new Date(DAY),
        to: new Date(DAY + 1),
      }),
      'NOT_FOUND',
    )
  })

  it('refuses ranges over 31 days and reversed ranges', async () => {
    const to = new Date(DAY + 32 * 86_400_000)
    await expectTRPCError(org.caller.reports.trips({ from: new Date(DAY), to }), 'BAD_REQUEST')
    await expectTRPCError(
      org.caller.reports.trips({ from: new Date(DAY + 1), to: new Date(DAY) }),
      'BAD_REQUEST',
    )
  })
})

/** An engine summary as `reports.daily` sends it: rounded, alert counts without the zeros. */
const asSent = (summary: DailySummary) => ({
  ...roundSummary(summary),
  alertCounts: countsSent(summary.alertCounts),
})

describe('reports.daily', () => {
  it('summarizes days like summarizeDays, with the stored alerts counted', async () => {
    const report = await org.caller.reports.daily({
      vehicleId,
      from: '2026-11-01',
      to: '2026-11-03',
    })
    const [vehicle] = report.vehicles
    const expected = summarizeDays({ points: POINTS, fromDate: '2026-11-01', toDate: '2026-11-03' })
    expect(vehicle!.days.map((d) => d.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03'])
    const withoutAlerts = vehicle!.days.map(({ alertCounts: _, ...figures }) => figures)
    expect(withoutAlerts).toEqual(
      expected.map((day) => {
        const { alertCounts: _, ...figures } = roundSummary(day)
        return figures
      }),
    )
    // Only the kinds that occurred are sent: an absent kind is zero.
    for (const day of vehicle!.days) expect(Object.values(day.alertCounts)).not.toContain(0)
    expect(vehicle!.days[1]!.distanceKm).toBeGreaterThan(19)
    expect(vehicle!.days[1]!.tripCount).toBe(1)
    expect(vehicle!.days[1]!.alertCounts.overspeed).toBe(1)
    expect(vehicle!.days[0]!.distanceKm).toBe(0)
    expect(vehicle!.total!.distanceKm).toBe(roundSummary(expected[1]!).distanceKm)
  })

  it('uses the time zone for day boundaries', async () => {
    // 08:00 UTC on Nov 2 is still Nov 2 in Tokyo (17:00) and in Los Angeles (00:00).
    const tokyo = await org.caller.reports.daily({
      vehicleId,
      from: '2026-11-02',
      to: '2026-11-02',
      timeZone: 'Asia/Tokyo',
    })
    expect(tokyo.vehicles[0]!.days[0]!.tripCount).toBe(1)
    const kiritimati = await org.caller.reports.daily({
      vehicleId,
      from: '2026-11-02',
      to: '2026-11-02',
      timeZone: 'Pacific/Kiritimati',
    })
    // UTC+14: 08:00 UTC is 22:00 local on Nov 2.
    expect(kiritimati.vehicles[0]!.days[0]!.tripCount).toBe(1)
    const honolulu = await org.caller.reports.daily({
      vehicleId,
      from: '2026-11-02',
      to: '2026-11-02',
      timeZone: 'Pacific/Honolulu',
    })
    // UTC-10: 08:00 UTC is 22:00 on Nov 1.
    expect(honolulu.vehicles[0]!.days[0]!.tripCount).toBe(0)
  })

  it('validates the dates, the zone and the range', async () => {
    const bad = [
      { from: '2026-11-02', to: '2026-11-01' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026-11-01', to: '2026-12-02' },
      { from: '2026-11-01', to: '2026-11-02', timeZone: 'Mars/Olympus' },
    ]
    for (const input of bad) {
      await expectTRPCError(org.caller.reports.daily({ vehicleId, ...input }), 'BAD_REQUEST')
    }
    await expectTRPCError(
      org.caller.reports.daily({ vehicleId: otherVehicleId, from: '2026-11-01', to: '2026-11-01' }),
      'NOT_FOUND',
    )
  })

  it('takes late and out-of-order points into the summaries, as the raw points give them', async () => {
    const own = await api.registerOrg()
    const lateVehicle = (await own.caller.vehicles.create({ code: 'LATE', vin: makeVin() })).id
    const deviceId = randomUUID()
    const asRows = (points: typeof POINTS) =>
      points.map((p) => ({
        ...p,
        time: new Date(p.time),
        orgId: own.session.user.orgId,
        deviceId,
        vehicleId: lateVehicle,
      }))
    // Every third point first (summarized), then the rest, newest first, a day later.
    const early = POINTS.filter((_, i) => i % 3 === 0)
    const late = POINTS.filter((_, i) => i % 3 !== 0).reverse()
    await insertTelemetry(api.deps.db, asRows(early))
    const before = await own.caller.reports.daily({
      vehicleId: lateVehicle,
      from: '2026-11-02',
      to: '2026-11-02',
    })
    const earlyDay = summarizeDays({ points: early, fromDate: '2026-11-02', toDate: '2026-11-02' })
    expect(before.vehicles[0]!.days[0]!.pointCount).toBe(early.length)
    expect(before.vehicles[0]!.days[0]!.distanceKm).toBe(roundSummary(earlyDay[0]!).distanceKm)
    for (const point of late) await insertTelemetry(api.deps.db, asRows([point]))
    const after = await own.caller.reports.daily({
      vehicleId: lateVehicle,
      from: '2026-11-01',
      to: '2026-11-03',
    })
    const full = summarizeDays({ points: POINTS, fromDate: '2026-11-01', toDate: '2026-11-03' })
    expect(after.vehicles[0]!.days).toEqual(full.map(asSent))
  })

  it('summarizes a stream refreshed as it arrives exactly as the whole day at once', async () => {
    const own = await api.registerOrg()
    const streamed = (await own.caller.vehicles.create({ code: 'LIVE', vin: makeVin() })).id
    const deviceId = randomUUID()
    const input = { vehicleId: streamed, from: '2026-11-02', to: '2026-11-02' }
    // A refuel halfway: the episode's start lies before the chunk that confirms it.
    const points = POINTS.map((p, i) => ({ ...p, fuel: i < 96 ? 60 - i * 0.05 : 80 }))
    for (let i = 0; i < points.length; i += 16) {
      await insertTelemetry(
        api.deps.db,
        points.slice(i, i + 16).map((p) => ({
          ...p,
          time: new Date(p.time),
          orgId: own.session.user.orgId,
          deviceId,
          vehicleId: streamed,
        })),
      )
      await own.caller.reports.daily(input)
    }
    const report = await own.caller.reports.daily(input)
    const [expected] = summarizeDays({ points, fromDate: input.from, toDate: input.to })
    expect(report.vehicles[0]!.days[0]).toEqual(asSent(expected!))
    expect(report.vehicles[0]!.days[0]!.refuelCount).toBe(1)
    expect(report.vehicles[0]!.days[0]!.tripCount).toBe(1)
    // With the tank's size known, the same day also in litres, on the day, the total and the
    // fleet's day.
    await own.caller.vehicles.update({ id: streamed, fuelTankLitres: 80 })
    const inLitres = await own.caller.reports.daily(input)
    const day = asSent(expected!)
    const litres = {
      fuelUsedL: toLitres(day.fuelUsedPct, 80),
      refuelledL: toLitres(day.refuelledPct, 80),
    }
    expect(inLitres.vehicles[0]!.days[0]).toEqual({
      ...day,
      ...litres,
      litresPer100Km: Math.round((litres.fuelUsedL! / day.distanceKm) * 100 * 100) / 100,
    })
    expect(inLitres.vehicles[0]!.total).toMatchObject(litres)
    expect(inLitres.dayTotals[0]).toMatchObject(litres)
  })

  it('says when a backlog of new points is still being summarized, and not after', async () => {
    const own = await api.registerOrg()
    const ownOrg = own.session.user.orgId
    const vehicle = (await own.caller.vehicles.create({ code: 'BACKLOG', vin: makeVin() })).id
    // More marks than a report's own refresh takes on (as after an import or an upgrade).
    await api.deps.db.insert(activityDirty).values(
      Array.from({ length: 1000 }, (_, i) => ({
        orgId: ownOrg,
        spans: [[vehicle, START + i * 1000, START + i * 1000] as [string, number, number]],
      })),
    )
    const input = { vehicleId: vehicle, from: '2026-11-02', to: '2026-11-02' }
    expect((await own.caller.reports.daily(input)).isUpToDate).toBe(false)
    await refreshActivity(api.deps.db, { orgId: ownOrg })
    expect((await own.caller.reports.daily(input)).isUpToDate).toBe(true)
    expect((await org.caller.reports.daily({ ...input, vehicleId })).isUpToDate).toBe(true)
  })

  it('gives a day the same figures alone or within a month, and a month the sum of its days', async () => {
    const month = await org.caller.reports.daily({
      vehicleId,
      from: '2026-10-15',
      to: '2026-11-14',
    })
    const days = month.vehicles[0]!.days
    const day = await org.caller.reports.daily({ vehicleId, from: '2026-11-02', to: '2026-11-02' })
    expect(days.find((d) => d.date === '2026-11-02')).toEqual(day.vehicles[0]!.days[0])
    const asSummary = (sent: (typeof days)[number]) => ({
      ...sent,
      alertCounts: Object.fromEntries(
        RULE_KINDS.map((kind) => [kind, sent.alertCounts[kind] ?? 0]),
      ) as Record<RuleKind, number>,
    })
    const total = roundSummary(sumSummaries(days.map(asSummary))!)
    const summed = { ...total, alertCounts: countsSent(total.alertCounts) }
    expect(month.vehicles[0]!.total).toEqual(summed)
    // The fleet overview: the same totals without the days.
    const overview = await org.caller.reports.daily({
      from: '2026-10-15',
      to: '2026-11-14',
      includeDays: false,
    })
    const mine = overview.vehicles.find((v) => v.vehicleId === vehicleId)!
    expect(mine.days).toEqual([])
    expect(mine.total).toEqual(summed)
  })

  it('gives each day over all the report’s vehicles in dayTotals, with or without the days', async () => {
    const own = await api.registerOrg()
    const ownOrg = own.session.user.orgId
    const asRows = (vehicle: string, shiftMs: number) => {
      const deviceId = randomUUID()
      return POINTS.map((p) => ({
        ...p,
        time: new Date(p.time + shiftMs),
        orgId: ownOrg,
        deviceId,
        vehicleId: vehicle,
      }))
    }
    const first = (await own.caller.vehicles.create({ code: 'D1', vin: makeVin() })).id
    const second = (await own.caller.vehicles.create({ code: 'D2', vin: makeVin() })).id
    await insertTelemetry(api.deps.db, asRows(first, 0))
    // The second drives the same trip on Nov 2 and again on Nov 3.
    await insertTelemetry(api.deps.db, [...asRows(second, 0), ...asRows(second, 86_400_000)])
    const period = { from: '2026-11-01', to: '2026-11-03' }
    const report = await own.caller.reports.daily(period)
    const { dayTotals } = report
    expect(dayTotals.map((d) => d.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03'])
    expect(dayTotals.map((d) => d.tripCount)).toEqual([0, 2, 1])
    for (const [index, day] of dayTotals.entries()) {
      const summed = report.vehicles.reduce((sum, v) => sum + v.days[index]!.distanceKm, 0)
      expect(day.distanceKm).toBeCloseTo(summed, 3)
    }
    expect(dayTotals[1]!.distanceKm).toBeGreaterThan(2 * 19)
    expect(dayTotals[1]!.maxSpeed).toBe(60)
    const totalsOnly = await own.caller.reports.daily({ ...period, includeDays: false })
    expect(totalsOnly.dayTotals).toEqual(dayTotals)
    const one = await own.caller.reports.daily({ ...period, vehicleId: second })
    expect(one.dayTotals).toEqual(one.vehicles[0]!.days)
  })

  it(`covers all vehicles without vehicleId, up to ${DAILY_MAX_VEHICLES}`, async () => {
    const report = await org.caller.reports.daily({ from: '2026-11-02', to: '2026-11-02' })
    expect(report.vehicles.map((v) => v.vehicleId).sort()).toEqual(
      [vehicleId, idleVehicleId].sort(),
    )
    const crowded = await api.registerOrg()
    await api.deps.db.insert(vehicles).values(
      Array.from({ length: DAILY_MAX_VEHICLES + 1 }, (_, i) => ({
        orgId: crowded.session.user.orgId,
        code: `C${i}`,
        vin: makeVin(),
      })),
    )
    await expectTRPCError(
      crowded.caller.reports.daily({ from: '2026-11-02', to: '2026-11-02' }),
      'BAD_REQUEST',
    )
  })
})

describe('CSV exports', () => {
  it('exports trips with a header row', async () => {
    const trips = await org.caller.reports.tripsCsv({
      vehicleId,
      from: new Date(DAY),
      to: new Date(DAY + 86_400_000),
    })
    expect(trips.filename).toBe('fms-trips-2026-11-02_2026-11-03.csv')
    const lines = trips.csv.trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^vehicle_code,vehicle_id,start,end,/)
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(`R1,${vehicleId},`)
  })

  it('exports alerts with formula injection neutralized', async () => {
    const out = await org.caller.alerts.csv({ from: new Date(DAY), to: new Date(DAY + 86_400_000) })
    const lines = out.csv.trimEnd().split('\r\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"",""click"")"`)
    const theirs = await other.caller.alerts.csv({
      from: new Date(DAY),
      to: new Date(DAY + 86_400_000),
    })
    expect(theirs.csv.trimEnd().split('\r\n')).toHaveLength(1)
  })
})
