import { describe, expect, it } from 'vitest'
import { describeBarChart, findAxisTicks, findLabelEvery, placeBars } from './chart-scale'

describe('axis ticks', () => {
  it('takes round steps from zero up to at least the largest value', () => {
    expect(findAxisTicks(100)).toEqual([0, 25, 50, 75, 100])
    expect(findAxisTicks(42)).toEqual([0, 20, 40, 60])
    expect(findAxisTicks(7.3)).toEqual([0, 2, 4, 6, 8])
    expect(findAxisTicks(1234)).toEqual([0, 500, 1000, 1500])
  })

  it('keeps decimal steps free of floating-point noise', () => {
    expect(findAxisTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3])
    expect(findAxisTicks(0.9, 3)).toEqual([0, 0.5, 1])
  })

  it('runs from 0 to 1 when there is nothing to show', () => {
    expect(findAxisTicks(0)).toEqual([0, 1])
    expect(findAxisTicks(-5)).toEqual([0, 1])
    expect(findAxisTicks(Number.NaN)).toEqual([0, 1])
  })
})

describe('bar labels', () => {
  it('labels every bar while they fit, else every n-th', () => {
    expect(findLabelEvery(7, 10)).toBe(1)
    expect(findLabelEvery(31, 10)).toBe(4)
    expect(findLabelEvery(0, 10)).toBe(1)
  })
})

describe('bar placement', () => {
  it('puts bars in equal slots, as tall as their share of the axis', () => {
    const bars = placeBars({
      values: [50, 100, 0],
      axisMax: 100,
      width: 300,
      height: 200,
      fill: 0.5,
    })
    expect(bars).toEqual([
      { x: 25, y: 100, width: 50, height: 100 },
      { x: 125, y: 0, width: 50, height: 200 },
      { x: 225, y: 200, width: 50, height: 0 },
    ])
  })

  it('draws nothing for negative or missing values and caps at the axis', () => {
    const bars = placeBars({ values: [-3, Number.NaN, 150], axisMax: 100, width: 30, height: 10 })
    expect(bars.map((bar) => bar.height)).toEqual([0, 0, 10])
  })
})

describe('chart descriptions', () => {
  const format = (value: number) => `${value.toFixed(1)} km`
  const days = [
    { key: '2026-11-01', label: '1 Nov', value: 0 },
    { key: '2026-11-02', label: '2 Nov', value: 20.5 },
    { key: '2026-11-03', label: '3 Nov', value: 12 },
  ]

  it('names the range, the total and the highest bar', () => {
    expect(describeBarChart({ title: 'Distance per day', bars: days, formatValue: format })).toBe(
      'Distance per day, 1 Nov to 3 Nov: 32.5 km in total, most on 2 Nov (20.5 km)',
    )
  })

  it('says when every bar is zero, or when there are none', () => {
    const idle = days.map((day) => ({ ...day, value: 0 }))
    expect(describeBarChart({ title: 'Distance per day', bars: idle, formatValue: format })).toBe(
      'Distance per day, 1 Nov to 3 Nov: none',
    )
    expect(describeBarChart({ title: 'Distance per day', bars: [], formatValue: format })).toBe(
      'Distance per day: no data',
    )
  })

  it('gives a single bar its value', () => {
    const one = days.slice(1, 2)
    expect(describeBarChart({ title: 'Distance per day', bars: one, formatValue: format })).toBe(
      'Distance per day, 2 Nov: 20.5 km',
    )
  })
})
