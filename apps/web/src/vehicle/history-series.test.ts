import { describe, expect, it } from 'vitest'
import { describeHistory, findTimeWindow, type THistory, toSeries, toTrack } from './history-series'

type TPoint = THistory['points'][number]

function point(time: number, fields: Partial<TPoint> = {}): TPoint {
  return {
    time: new Date(time),
    lat: 52.5,
    lon: 13.4,
    speed: 50,
    heading: 90,
    rpm: 2000,
    fuel: 60,
    coolantTemp: 88,
    engineLoad: 40,
    ignition: true,
    ...fields,
  }
}

describe('history series', () => {
  it('splits points into chart columns with time in seconds', () => {
    const series = toSeries([point(1_000_000), point(1_001_000, { speed: null, rpm: 900 })])
    expect(series).toEqual({
      times: [1000, 1001],
      speed: [50, null],
      rpm: [2000, 900],
      fuel: [60, 60],
      coolantTemp: [88, 88],
    })
  })

  it('keeps only positioned points on the track', () => {
    const track = toTrack([
      point(1000),
      point(2000, { lat: null, lon: null }),
      point(3000, { lat: 1 }),
    ])
    expect(track).toEqual([
      { time: 1000, lat: 52.5, lon: 13.4 },
      { time: 3000, lat: 1, lon: 13.4 },
    ])
  })

  it('ends the time window just after now and spans the range', () => {
    const { from, to } = findTimeWindow('1h', 1_700_000_000_500)
    expect(to.getTime()).toBe(1_700_000_001_000)
    expect(to.getTime() - from.getTime()).toBe(3_600_000)
  })

  it('describes raw and downsampled history', () => {
    const points = [point(1), point(2)]
    expect(describeHistory({ points, bucketSec: null })).toBe('2 points')
    expect(describeHistory({ points, bucketSec: 30 })).toBe('2 points, averaged per 30 s')
    expect(describeHistory({ points, bucketSec: 1320 })).toBe('2 points, averaged per 22 min')
    expect(describeHistory({ points, bucketSec: 7200 })).toBe('2 points, averaged per 2 h')
  })
})
