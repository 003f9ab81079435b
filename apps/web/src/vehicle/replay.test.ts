import { describe, expect, it } from 'vitest'
import { advancePlayhead, findPointIndex, interpolatePosition, type TTrackPoint } from './replay'

const TRACK: TTrackPoint[] = [
  { time: 1000, lat: 0, lon: 0 },
  { time: 2000, lat: 1, lon: 2 },
  { time: 4000, lat: 3, lon: 2 },
]

describe('replay', () => {
  it('advances the playhead by wall time times the speed', () => {
    expect(
      advancePlayhead({ time: 1000, start: 1000, end: 9000, elapsedMs: 50, speed: 60 }),
    ).toEqual({ time: 4000, isFinished: false })
  })

  it('stops at the end of the track', () => {
    expect(
      advancePlayhead({ time: 8000, start: 1000, end: 9000, elapsedMs: 100, speed: 60 }),
    ).toEqual({ time: 9000, isFinished: true })
  })

  it('restarts from the beginning when played at the end', () => {
    expect(
      advancePlayhead({ time: 9000, start: 1000, end: 9000, elapsedMs: 10, speed: 10 }),
    ).toEqual({ time: 1100, isFinished: false })
  })

  it('never moves backwards', () => {
    expect(
      advancePlayhead({ time: 2000, start: 1000, end: 9000, elapsedMs: -5, speed: 1 }).time,
    ).toBe(2000)
  })

  it('finds the last point at or before a time', () => {
    expect(findPointIndex(TRACK, 500)).toBe(0)
    expect(findPointIndex(TRACK, 2000)).toBe(1)
    expect(findPointIndex(TRACK, 3999)).toBe(1)
    expect(findPointIndex(TRACK, 10_000)).toBe(2)
    expect(findPointIndex([], 1)).toBe(-1)
  })

  it('interpolates between the points around a time', () => {
    expect(interpolatePosition(TRACK, 1500)).toEqual({ lat: 0.5, lon: 1, index: 0 })
    expect(interpolatePosition(TRACK, 3000)).toEqual({ lat: 2, lon: 2, index: 1 })
    expect(interpolatePosition(TRACK, 5000)).toEqual({ lat: 3, lon: 2, index: 2 })
    expect(interpolatePosition([], 5000)).toBeNull()
  })
})
