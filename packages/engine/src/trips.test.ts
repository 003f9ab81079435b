import { describe, expect, it } from 'vitest'
import { at, createRandom, T0 } from './fixtures.ts'
import { EARTH_RADIUS_M } from './geo.ts'
import { createTripState, detectTrips, finishTrips, stepTrip, type Trip } from './trips.ts'
import type { RulePoint } from './types.ts'

const KM_PER_DEGREE = (2 * Math.PI * EARTH_RADIUS_M) / 1000 / 360

/**
 * Points every 10 s along the equator from 1° E (0/0 is no fix); each leg is [seconds, km/h], the
 * speed since the last point.
 */
function drive(legs: [number, number][], startSec = 0): RulePoint[] {
  let sec = startSec
  let lon = 1
  let odometer = 100
  const points = [at(sec, { lat: 0, lon, speed: legs[0]![1], odometer, ignition: true })]
  for (const [duration, speed] of legs) {
    for (let t = 10; t <= duration; t += 10) {
      sec += 10
      const km = (speed * 10) / 3600
      lon += km / KM_PER_DEGREE
      odometer += km
      points.push(at(sec, { lat: 0, lon, speed, odometer, ignition: true }))
    }
  }
  return points
}

const times = (trips: Trip[]) =>
  trips.map((t) => [(t.start - T0) / 1000, (t.end - T0) / 1000, t.isComplete])

describe('trips and stops', () => {
  it('keeps a stop shorter than 180 s inside the trip as idle time', () => {
    const { trips, stops } = detectTrips(
      drive([
        [300, 36],
        [120, 0],
        [300, 36],
        [300, 0],
      ]),
    )
    expect(times(trips)).toEqual([[0, 730, true]])
    const [trip] = trips
    expect(trip!.distanceKm).toBeCloseTo(6, 6)
    expect(trip!.odometerKm).toBeCloseTo(trip!.distanceKm, 6)
    expect(trip!).toMatchObject({ drivingSec: 620, idleSec: 110, maxSpeed: 36 })
    expect(trip!.avgSpeed).toBeCloseTo(6 / (620 / 3600), 6)
    expect(stops).toEqual([])
  })

  it('ends a trip at the start of a stop of 180 s or more, and reports the stop', () => {
    const { trips, stops } = detectTrips(
      drive([
        [300, 36],
        [300, 0],
        [300, 36],
      ]),
    )
    expect(times(trips)).toEqual([
      [0, 310, true],
      [600, 900, false],
    ])
    expect(stops).toEqual([
      { start: T0 + 310_000, end: T0 + 600_000, lat: 0, lon: trips[0]!.endLon, durationSec: 290 },
    ])
  })

  it('ends a trip when the ignition goes off, idling before it included', () => {
    const points = drive([
      [300, 36],
      [60, 0],
    ])
    const last = points[points.length - 1]!
    points.push({ ...last, time: last.time + 10_000, ignition: false })
    const { trips } = detectTrips(points)
    expect(times(trips)).toEqual([[0, 370, true]])
    expect(trips[0]!.idleSec).toBe(60)
  })

  it('ends a trip at the last point before a data gap of over 10 minutes', () => {
    const points = [...drive([[100, 50]]), ...drive([[100, 50]], 1000)]
    expect(times(detectTrips(points).trips)).toEqual([
      [0, 100, true],
      [1000, 1100, false],
    ])
  })

  it('does not start on slow creeping or with the ignition off', () => {
    const creep = drive([[600, 4]])
    const towed = drive([[600, 40]]).map((p) => ({ ...p, ignition: false }))
    expect(detectTrips(creep).trips).toEqual([])
    expect(detectTrips(towed).trips).toEqual([])
  })

  it('folds the same in any input order, and step by step through JSON', () => {
    const points = drive([
      [300, 36],
      [300, 0],
      [300, 60],
      [100, 0],
      [200, 20],
      [400, 0],
    ])
    const random = createRandom(1)
    const whole = detectTrips(points)
    expect(detectTrips([...points].sort(() => random() - 0.5))).toEqual(whole)
    let state = createTripState()
    const trips: Trip[] = []
    for (const point of points) {
      const out = stepTrip(JSON.parse(JSON.stringify(state)), point)
      state = out.state
      trips.push(...out.trips)
    }
    const open = finishTrips(state)
    expect(open ? [...trips, open] : trips).toEqual(whole.trips)
  })
})
