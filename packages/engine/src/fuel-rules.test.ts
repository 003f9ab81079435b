import { describe, expect, it } from 'vitest'
import { evaluateHistory } from './engine.ts'
import { at, contextFor, series, T0 } from './fixtures.ts'
import { detectFuelEpisodes } from './fuel-track.ts'
import type { RuleConfig } from './types.ts'

const drop: RuleConfig = { id: 'fd', kind: 'fuel_drop', threshold: 10, durationSec: 300 }
const refuel: RuleConfig = { id: 'rf', kind: 'refuel' }

describe('fuel_drop', () => {
  it('flags a fast fall while parked once, measured from the window maximum', () => {
    // 60% → 35% over 5 minutes, then flat.
    const points = [
      ...series(0, 600, 30, () => ({ speed: 0, fuel: 60 })),
      ...series(600, 900, 30, (s) => ({ speed: 0, fuel: 60 - (s - 570) / 12 })),
      ...series(900, 1800, 30, () => ({ speed: 0, fuel: 35 })),
    ]
    const alerts = evaluateHistory(points, contextFor([drop]))
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({
      kind: 'fuel_drop',
      time: T0 + 570_000,
      value: 25,
      endTime: T0 + 870_000,
    })
  })

  it('ignores a slow fall and a fall while driving', () => {
    const slow = series(0, 7200, 60, (s) => ({ speed: 0, fuel: 60 - s / 600 }))
    const driving = series(0, 600, 10, (s) => ({ speed: 60, fuel: 60 - s / 20 }))
    expect(evaluateHistory(slow, contextFor([drop]))).toEqual([])
    expect(evaluateHistory(driving, contextFor([drop]))).toEqual([])
  })

  it('flags a fall across a night without data while parked, not when the odometer moved', () => {
    const parked = [
      at(0, { speed: 0, fuel: 70, odometer: 500 }),
      at(36_000, { speed: 0, fuel: 40, odometer: 500 }),
    ]
    const drove = [
      at(0, { speed: 0, fuel: 70, odometer: 500 }),
      at(36_000, { speed: 0, fuel: 40, odometer: 800 }),
    ]
    expect(evaluateHistory(parked, contextFor([drop]))).toEqual([
      expect.objectContaining({ time: T0, value: 30, emittedAt: T0 + 36_000_000 }),
    ])
    expect(evaluateHistory(drove, contextFor([drop]))).toEqual([])
  })
})

describe('refuel', () => {
  it('flags a rise of 10+ points within 10 minutes once, with the total refuelled', () => {
    const points = [
      ...series(0, 300, 30, () => ({ speed: 0, fuel: 20 })),
      ...series(300, 480, 30, (s) => ({ speed: 0, fuel: 20 + (s - 270) / 3 })),
      ...series(480, 2400, 60, () => ({ speed: 40, fuel: 90 })),
    ]
    const alerts = evaluateHistory(points, contextFor([refuel]))
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ time: T0 + 270_000, endTime: T0 + 480_000, value: 70 })
  })

  it('counts a refuel done while the tracker slept', () => {
    const points = [at(0, { fuel: 15 }), at(5000, { fuel: 95 })]
    expect(evaluateHistory(points, contextFor([refuel]))).toEqual([
      expect.objectContaining({ time: T0, value: 80 }),
    ])
  })

  it('ignores sensor noise', () => {
    const points = series(0, 3600, 10, (s) => ({ fuel: 50 + ((s * 7) % 9) - 4 }))
    expect(evaluateHistory(points, contextFor([refuel, drop]))).toEqual([])
  })
})

describe('detectFuelEpisodes', () => {
  const spec = { direction: 1, threshold: 10, windowMs: 600_000 } as const

  it('compares only against samples inside the window (or the previous sample)', () => {
    const samples = [0, 300, 700, 1100].map((s, i) => ({ time: T0 + s * 1000, fuel: 20 + i * 4 }))
    expect(detectFuelEpisodes(samples, spec)).toEqual([])
    const faster = [0, 200, 400].map((s, i) => ({ time: T0 + s * 1000, fuel: 20 + i * 6 }))
    expect(detectFuelEpisodes(faster, spec)).toEqual([
      { start: T0, startFuel: 20, lastTime: T0 + 400_000, extreme: 32 },
    ])
  })

  it('splits two refuels more than a window apart', () => {
    const samples = [0, 60, 1000, 1060].map((s, i) => ({
      time: T0 + s * 1000,
      fuel: [10, 40, 40, 80][i]!,
    }))
    expect(detectFuelEpisodes(samples, spec).map((e) => e.extreme - e.startFuel)).toEqual([30, 40])
  })
})
