import { describe, expect, it } from 'vitest'
import { createRandom, deriveSeed } from './random.ts'

const draw = (seed: number, n = 100) => {
  const rng = createRandom(seed)
  return Array.from({ length: n }, () => rng.next())
}

describe('createRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(draw(42)).toEqual(draw(42))
  })

  it('gives a different sequence for another seed', () => {
    expect(draw(42)).not.toEqual(draw(43))
  })

  it('stays in [0, 1) and spreads evenly', () => {
    const values = draw(7, 20_000)
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...values)).toBeLessThan(1)
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length
    expect(mean).toBeGreaterThan(0.49)
    expect(mean).toBeLessThan(0.51)
  })

  it('draws whole numbers with both bounds included', () => {
    const rng = createRandom(1)
    const seen = new Set(Array.from({ length: 1000 }, () => rng.int(1, 3)))
    expect([...seen].sort()).toEqual([1, 2, 3])
  })
})

describe('deriveSeed', () => {
  it('gives each index its own stream, the same every time', () => {
    expect(deriveSeed(5, 0)).toBe(deriveSeed(5, 0))
    expect(deriveSeed(5, 0)).not.toBe(deriveSeed(5, 1))
    expect(deriveSeed(5, 0)).not.toBe(deriveSeed(6, 0))
  })
})
