import { describe, expect, it } from 'vitest'
import { toRulePoint } from './points.ts'
import { RULE_READING_NAMES } from './reading.ts'
import { fixedShape } from './shape.ts'

describe('fixedShape', () => {
  it('makes objects with every key, in order, each undefined', () => {
    const make = fixedShape(['time', 'lat', 'lon'])
    const point = make()
    expect(Object.keys(point)).toEqual(['time', 'lat', 'lon'])
    expect(Object.values(point)).toEqual([undefined, undefined, undefined])
  })

  it('makes a new object each time: setting one leaves the others and the template alone', () => {
    const make = fixedShape(['time', 'speed'])
    const first = make() as Record<string, unknown>
    first.speed = 42
    const second = make()
    expect(second.speed).toBeUndefined()
    expect(first).not.toBe(second)
  })

  it('keeps keys JSON would mangle as plain keys', () => {
    const make = fixedShape(['a"b', '__proto__x', 'line\nbreak'])
    expect(Object.keys(make())).toEqual(['a"b', '__proto__x', 'line\nbreak'])
  })

  it('is the shape of a rule point: time, then every rule reading', () => {
    const point = toRulePoint({ time: 1_000, speed: 12, lat: 48.1, lon: 11.5 })
    expect(Object.keys(point)).toEqual(['time', ...RULE_READING_NAMES])
    expect(point).toMatchObject({ time: 1_000, speed: 12, lat: 48.1, lon: 11.5, rpm: null })
  })
})
