import { describe, expect, it } from 'vitest'
import { at } from './fixtures.ts'
import { isInsideGeofence, isInsidePolygon, isInsideShape, measureDistanceM } from './geo.ts'

describe('geofence math', () => {
  it('measures great-circle distance with haversine', () => {
    // Berlin Brandenburg Gate → Paris Eiffel Tower ≈ 878 km.
    expect(measureDistanceM(52.5163, 13.3777, 48.8584, 2.2945) / 1000).toBeCloseTo(878, -1)
    expect(measureDistanceM(0, 0, 0, 1)).toBeCloseTo(111_195, -1)
  })

  it('puts points inside or outside a circle by radius', () => {
    const circle = { type: 'circle', lat: 52.52, lon: 13.4, radiusM: 500 } as const
    expect(isInsideShape(52.5236, 13.4, circle)).toBe(true) // ~400 m north
    expect(isInsideShape(52.5254, 13.4, circle)).toBe(false) // ~600 m north
  })

  it('ray-casts a concave polygon', () => {
    // An L: the notch at the top right is outside.
    const ring: [number, number][] = [
      [0, 0],
      [0, 2],
      [1, 2],
      [1, 1],
      [2, 1],
      [2, 0],
    ]
    expect(isInsidePolygon(0.5, 0.5, ring)).toBe(true)
    expect(isInsidePolygon(0.5, 1.5, ring)).toBe(true)
    expect(isInsidePolygon(1.5, 0.5, ring)).toBe(true)
    expect(isInsidePolygon(1.5, 1.5, ring)).toBe(false)
    expect(isInsidePolygon(-0.1, 0.5, ring)).toBe(false)
  })

  it('treats a degenerate polygon as empty and a point without position as unknown', () => {
    const line = {
      type: 'polygon',
      points: [
        [0, 0],
        [1, 1],
      ] as [number, number][],
    } as const
    expect(isInsideShape(0.5, 0.5, line)).toBe(false)
    const fence = { id: 'f', shape: { type: 'circle', lat: 0, lon: 0, radiusM: 10 } } as const
    expect(isInsideGeofence(at(0), fence)).toBeNull()
  })
})
