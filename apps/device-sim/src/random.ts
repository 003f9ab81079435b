import { randomInt } from 'node:crypto'

/** A seeded source of randomness: the same seed gives the same sequence, on every platform. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform in [min, max). */
  between(min: number, max: number): number
  /** Uniform whole number in [min, max] (both inclusive). */
  int(min: number, max: number): number
  /** True with probability `p`. */
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** Exponentially distributed with the given mean (the wait between Poisson events). */
  exponential(mean: number): number
}

/** murmur3's 32-bit finalizer: spreads every input bit over the whole output. */
function mix32(value: number): number {
  let h = value | 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * A seed for an independent stream, e.g. one per vehicle: `deriveSeed(seed, index)`. Vehicle 7
 * drives the same way whether the fleet has 10 vehicles or 10,000.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = mix32(seed ^ 0x9e3779b9)
  for (const part of parts) h = mix32(h ^ mix32(part + 0x7f4a7c15))
  return h
}

/** A random 32-bit seed for runs without `--seed` (printed, so the run can be repeated). */
export function createRandomSeed(): number {
  return randomInt(0, 2 ** 32 - 1)
}

/** mulberry32: tiny, fast and good enough for simulation (not for secrets). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list')
      return items[Math.floor(items.length * next())] as T
    },
    exponential: (mean) => -mean * Math.log(1 - next()),
  }
}
