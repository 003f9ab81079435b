import { describe, expect, it } from 'vitest'
import { describeLineChart, formatLinePath, placeLinePoints } from './line-scale'

describe('line chart geometry', () => {
  it('centres each point in its slot, scaled to the axis', () => {
    expect(
      placeLinePoints({ values: [0, 50, 100], axisMax: 100, width: 300, height: 100 }),
    ).toEqual([
      { x: 50, y: 100 },
      { x: 150, y: 50 },
      { x: 250, y: 0 },
    ])
  })

  it('leaves missing values out and breaks the line there', () => {
    const points = placeLinePoints({
      values: [80, null, 90, 70],
      axisMax: 100,
      width: 400,
      height: 100,
    })
    expect(points[1]).toBeNull()
    expect(formatLinePath(points)).toBe('M50.0 20.0 M250.0 10.0 L350.0 30.0')
  })
})

describe('line chart description', () => {
  const formatValue = (value: number) => String(value)

  it('names the first, last and lowest values', () => {
    const points = [
      { key: 'a', label: '2 Feb', value: 92 },
      { key: 'b', label: '9 Feb', value: 80 },
      { key: 'c', label: '16 Feb', value: null },
      { key: 'd', label: '23 Feb', value: 85 },
    ]
    expect(describeLineChart({ title: 'Score per week', points, formatValue })).toBe(
      'Score per week, 2 Feb to 23 Feb: 92 at first, 85 at last, lowest 80 (9 Feb)',
    )
  })

  it('says when there is nothing, or one value', () => {
    expect(describeLineChart({ title: 'Score', points: [], formatValue })).toBe('Score: no data')
    const one = [{ key: 'a', label: '2 Feb', value: 77 }]
    expect(describeLineChart({ title: 'Score', points: one, formatValue })).toBe('Score, 2 Feb: 77')
  })
})
