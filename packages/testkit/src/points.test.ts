import { describe, expect, it } from 'vitest'
import { randomVin, uniqueEmail } from './fleet.ts'
import { createTrip, makePoints, moveAlong, wireKey } from './points.ts'

describe('point fixtures', () => {
  it('gives every point of the process its own time, so none is a duplicate of another', () => {
    const points = [...makePoints('a', 500), ...makePoints('a', 500)]
    const keys = new Set(points.map(wireKey))
    expect(keys.size).toBe(1000)
    const times = points.map((p) => Date.parse(String(p.time)))
    expect(times).toEqual([...times].sort((x, y) => x - y))
    expect(times.at(-1)).toBeLessThan(Date.now())
  })

  it('leaves device_id out when no device is named', () => {
    expect(makePoints(undefined, 1)[0]).not.toHaveProperty('device_id')
  })

  it('moves the distance asked for along the heading', () => {
    const east = moveAlong(52.5, 13.4, 90, 1)
    const north = moveAlong(52.5, 13.4, 0, 1)
    expect(north.lat - 52.5).toBeCloseTo(1 / 111.32, 6)
    expect(north.lon).toBeCloseTo(13.4, 9)
    expect(east.lat).toBeCloseTo(52.5, 9)
    // A degree of longitude is shorter at 52.5° north.
    expect((east.lon - 13.4) * 111.32 * Math.cos((52.5 * Math.PI) / 180)).toBeCloseTo(1, 6)
  })

  it('lays out a trip a point a minute: parked, driving, stopped with the engine on', () => {
    const points = createTrip({
      start: { lat: 53.55, lon: 10 },
      heading: 90,
      speedKmh: 60,
      parkedMinutes: 2,
      drivingMinutes: 3,
      stoppedMinutes: 4,
      endMinutesAgo: 5,
    })
    expect(points.map((p) => p.speed)).toEqual([0, 0, 60, 60, 60, 0, 0, 0, 0])
    expect(points.map((p) => p.ignition)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ])
    const gaps = points.slice(1).map((p, i) => p.time - (points[i]?.time ?? 0))
    expect(new Set(gaps)).toEqual(new Set([60_000]))
    expect(Date.now() - (points.at(-1)?.time ?? 0)).toBeGreaterThanOrEqual(5 * 60_000)
    expect(Date.now() - (points.at(-1)?.time ?? 0)).toBeLessThan(6 * 60_000)
  })

  it('makes addresses and VINs that do not repeat', () => {
    expect(uniqueEmail('a')).not.toBe(uniqueEmail('a'))
    expect(randomVin()).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/)
  })
})
