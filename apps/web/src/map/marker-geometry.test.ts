import { describe, expect, it } from 'vitest'
import { createDrawnMarkers, findArrowCorners, findMarkerAt } from './marker-geometry'

function round(values: number[]): number[] {
  return values.map((v) => Math.round(v * 100) / 100 + 0)
}

describe('marker geometry', () => {
  it('points an arrow north for heading 0 and east for heading 90', () => {
    const [tipX, tipY] = findArrowCorners(100, 100, 0, 10)
    expect(round([tipX, tipY])).toEqual([100, 85])
    const [eastX, eastY] = findArrowCorners(100, 100, 90, 10)
    expect(round([eastX, eastY])).toEqual([115, 100])
  })

  it('puts the back corners behind the centre, mirrored', () => {
    const [, , leftX, leftY, rightX, rightY] = findArrowCorners(0, 0, 0, 10)
    expect(leftY).toBeGreaterThan(0)
    expect(rightY).toBeCloseTo(leftY)
    expect(rightX).toBeCloseTo(-leftX)
  })

  it('finds the nearest marker within the radius, the later one on a tie', () => {
    const drawn = createDrawnMarkers(3)
    drawn.ids.push('a', 'b', 'c')
    drawn.xs.set([10, 30, 30])
    drawn.ys.set([10, 10, 10])
    drawn.count = 3
    expect(findMarkerAt(drawn, 12, 10)).toBe('a')
    expect(findMarkerAt(drawn, 29, 11)).toBe('c')
    expect(findMarkerAt(drawn, 100, 100)).toBeNull()
  })
})

describe('heading slots', () => {
  it('rounds a heading to the nearest pre-drawn direction, wrapping at north', async () => {
    const { findHeadingSlot, HEADING_SLOTS } = await import('./marker-sprites')
    expect(findHeadingSlot(0)).toBe(0)
    expect(findHeadingSlot(7.4)).toBe(1)
    expect(findHeadingSlot(90)).toBe(HEADING_SLOTS / 4)
    expect(findHeadingSlot(358)).toBe(0)
    expect(findHeadingSlot(-90)).toBe((HEADING_SLOTS * 3) / 4)
  })
})
