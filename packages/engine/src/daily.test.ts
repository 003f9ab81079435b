import { describe, expect, it } from 'vitest'
import { findReportRange, summarizeDay, summarizeDays } from './daily.ts'
import { at, createRandom, T0 } from './fixtures.ts'
import { sumSummaries } from './period.ts'
import { sortPoints } from './points.ts'
import { measureSegment } from './segments.ts'
import { cleanTrack } from './track.ts'
import type { AlertEvent, RulePoint } from './types.ts'

const DAY_SEC = 86_400
const KM_PER_DEG_LAT = 111.19492664455873
/** Along this meridian: 0/0 would be no fix at all (see track.ts). */
const LON = 13.4

/** Straight north at `speed` km/h from `fromSec` for `durationSec`, a point every `stepSec`. */
function driveNorth(
  fromSec: number,
  durationSec: number,
  speed: number,
  stepSec = 30,
  lat0 = 0,
): RulePoint[] {
  const points: RulePoint[] = []
  for (let t = 0; t <= durationSec; t += stepSec) {
    const lat = lat0 + (speed * t) / 3600 / KM_PER_DEG_LAT
    points.push(at(fromSec + t, { lat, lon: LON, speed, ignition: true }))
  }
  return points
}

/**
 * 30 days of one vehicle: a heartbeat every 5 min while parked, two trips a day (the evening one
 * crossing midnight), fuel burnt while driving, a refuel every few days, an overnight siphoning.
 */
function generateMonth(seed: number): RulePoint[] {
  const random = createRandom(seed)
  const points: RulePoint[] = []
  let fuel = 80
  let lat = 0
  let sec = 3600
  for (let day = 0; day < 30; day++) {
    const base = day * DAY_SEC
    for (const start of [base + 7 * 3600 + random() * 7200, base + 23.5 * 3600 + random() * 1200]) {
      for (; sec < start; sec += 300)
        points.push(at(sec, { lat, lon: LON, speed: 0, ignition: false, fuel }))
      if (random() < 0.3) fuel = Math.min(95, fuel + 40)
      const duration = 1200 + Math.floor(random() * 2400)
      for (const p of driveNorth(start, duration, 30 + random() * 70, 30, lat)) {
        fuel = Math.max(5, fuel - 0.05)
        points.push({ ...p, fuel: Math.round(fuel * 10) / 10 })
        lat = p.lat!
      }
      sec = start + duration + 300
    }
    if (random() < 0.1) fuel -= 15
  }
  return points.filter((p) => p.time < T0 + 30 * DAY_SEC * 1000 - 3_600_000)
}

describe('daily summary', () => {
  it('splits a trip crossing midnight at the boundary', () => {
    const points = driveNorth(DAY_SEC - 600, 1200, 60) // 23:50 → 00:10 at 60 km/h
    const [first, second] = summarizeDays({ points, fromDate: '2024-03-01', toDate: '2024-03-02' })
    expect(first).toMatchObject({ date: '2024-03-01', drivingSec: 600, maxSpeed: 60, tripCount: 1 })
    expect(second).toMatchObject({
      date: '2024-03-02',
      drivingSec: 600,
      maxSpeed: 60,
      tripCount: 0,
    })
    expect(first!.distanceKm).toBeCloseTo(10, 6)
    expect(second!.distanceKm).toBeCloseTo(10, 6)
    expect(first!.avgSpeed).toBeCloseTo(60, 6)
  })

  it('counts fuel used as start - end + refuelled', () => {
    const levels = [80, 70, 60, 50, 50, 90, 90, 80, 70]
    const points = levels.map((fuel, i) =>
      at(3600 + i * 120, { fuel, speed: fuel === 50 || fuel === 90 ? 0 : 40 }),
    )
    const day = summarizeDay({ points, date: '2024-03-01' })
    expect(day).toMatchObject({ fuelUsedPct: 50, refuelledPct: 40, refuelCount: 1 })
    expect(summarizeDay({ points: [], date: '2024-03-01' }).fuelUsedPct).toBeNull()
  })

  it('counts idle time only with the engine on', () => {
    const idle = [0, 60, 120, 180].map((s) => at(3600 + s, { speed: 0, ignition: true }))
    const parked = [0, 60, 120, 180].map((s) => at(7200 + s, { speed: 0, ignition: false }))
    const day = summarizeDay({ points: [...idle, ...parked], date: '2024-03-01' })
    expect(day).toMatchObject({ idleSec: 180, drivingSec: 0, avgSpeed: null })
  })

  it('counts each alert once (by key) on the day its episode started', () => {
    const alert = (key: string, hour: number): AlertEvent => ({
      ruleId: 'os',
      kind: 'overspeed',
      vehicleId: 'veh-1',
      time: T0 + hour * 3_600_000,
      value: 120,
      message: '',
      key,
      subject: null,
      emittedAt: T0 + hour * 3_600_000,
    })
    const alerts = [
      alert('a', 23),
      { ...alert('a', 23), endTime: T0 + 25 * 3_600_000 },
      alert('b', 25),
    ]
    const days = summarizeDays({ points: [], alerts, fromDate: '2024-03-01', toDate: '2024-03-02' })
    expect(days.map((d) => d.alertCounts.overspeed)).toEqual([1, 1])
    expect(days[0]!.alertCounts.idle).toBe(0)
  })
})

describe('a month is the sum of its days', () => {
  const points = generateMonth(42)
  const month = summarizeDays({ points, fromDate: '2024-03-01', toDate: '2024-03-30' })

  it('gives each day the same summary whether asked for one day or the month', () => {
    for (const day of month) {
      expect(summarizeDay({ points, date: day.date })).toEqual(day)
      const range = findReportRange(day.date, day.date)
      const loaded = points.filter((p) => p.time >= range.from && p.time < range.to)
      expect(summarizeDay({ points: loaded, date: day.date })).toEqual(day)
    }
  })

  it('adds up to the month-long totals', () => {
    const total = sumSummaries(month)!
    const sorted = cleanTrack(sortPoints(points)).points
    let distanceKm = 0
    for (let i = 1; i < sorted.length; i++)
      distanceKm += measureSegment(sorted[i - 1]!, sorted[i]!).distanceKm
    expect(total.distanceKm).toBeCloseTo(distanceKm, 6)
    const fuel = sorted.filter((p) => p.fuel !== null).map((p) => p.fuel!)
    expect(total.fuelUsedPct!).toBeCloseTo(
      fuel[0]! - fuel[fuel.length - 1]! + total.refuelledPct,
      6,
    )
    expect(total.refuelCount).toBeGreaterThan(3)
    expect(total.tripCount).toBe(59) // two a day; the last evening one falls after the cut-off
    expect(total.maxSpeed).toBe(Math.max(...month.map((d) => d.maxSpeed ?? 0)))
  })

  it('adds up to the same totals with days in another time zone', () => {
    const berlin = summarizeDays({
      points,
      fromDate: '2024-03-01',
      toDate: '2024-03-30',
      timeZone: 'Europe/Berlin',
    })
    const utc = sumSummaries(month)!
    const local = sumSummaries(berlin)!
    expect(local.distanceKm).toBeCloseTo(utc.distanceKm, 6)
    expect(local.drivingSec).toBeCloseTo(utc.drivingSec, 6)
    expect(local.fuelUsedPct!).toBeCloseTo(utc.fuelUsedPct!, 6)
    expect(berlin[1]!.start).toBe(Date.UTC(2024, 2, 1, 23))
  })
})
