import { describe, expect, it } from 'vitest'
import { evaluateHistory } from './engine.ts'
import { at, contextFor, T0 } from './fixtures.ts'
import type { Geofence, RuleConfig } from './types.ts'

describe('harsh', () => {
  const rule: RuleConfig = { id: 'hb', kind: 'harsh', threshold: 12 }

  it('flags braking and acceleration with the signed peak as value', () => {
    const speeds = [80, 80, 60, 35, 34, 34, 50, 50]
    const points = speeds.map((speed, i) => at(i, { speed }))
    const alerts = evaluateHistory(points, contextFor([rule]))
    expect(alerts.map((a) => [a.time - T0, a.endTime! - T0, a.value, a.message])).toEqual([
      [1000, 3000, -25, 'Harsh braking: 25 km/h/s'],
      [5000, 6000, 16, 'Harsh acceleration: 16 km/h/s'],
    ])
  })

  it('ignores pairs more than 5 s apart and changes within the threshold', () => {
    const points = [at(0, { speed: 100 }), at(6, { speed: 0 }), at(7, { speed: 10 })]
    expect(evaluateHistory(points, contextFor([rule]))).toEqual([])
  })
})

describe('geofences', () => {
  const depot: Geofence = {
    id: 'depot',
    name: 'Depot',
    shape: { type: 'circle', lat: 0, lon: 0, radiusM: 1000 },
  }
  const yard: Geofence = {
    id: 'yard',
    shape: {
      type: 'polygon',
      points: [
        [0.1, 0.1],
        [0.1, 0.2],
        [0.2, 0.2],
        [0.2, 0.1],
      ],
    },
  }
  // Ten minutes apart: each step is one a car can make (see track.ts).
  const path = [
    at(0, { lat: 0.05, lon: 0 }),
    at(600, { lat: 0.001, lon: 0.001 }),
    at(1200), // no position: changes nothing
    at(1800, { lat: 0.15, lon: 0.15 }),
    at(2400, { lat: 0.15, lon: 0.15 }),
    at(3000, { lat: 0.3, lon: 0.3 }),
  ]

  it('alerts on entering and leaving, not on the first position', () => {
    const rules: RuleConfig[] = [
      { id: 'in', kind: 'geofence_enter' },
      { id: 'out', kind: 'geofence_exit' },
    ]
    const alerts = evaluateHistory(path, contextFor(rules, { geofences: [depot, yard] }))
    expect(alerts.map((a) => [a.ruleId, a.subject, a.time - T0, a.message])).toEqual([
      ['in', 'depot', 600_000, 'Entered geofence Depot'],
      ['in', 'yard', 1_800_000, 'Entered geofence yard'],
      ['out', 'depot', 1_800_000, 'Left geofence Depot'],
      ['out', 'yard', 3_000_000, 'Left geofence yard'],
    ])
    expect(alerts[0]!.key).toBe(`in:veh-1:depot:${T0 + 600_000}`)
    expect(alerts[0]!.endTime).toBe(alerts[0]!.time)
  })

  it('watches only the fence a rule names', () => {
    const rules: RuleConfig[] = [{ id: 'in', kind: 'geofence_enter', geofenceId: 'yard' }]
    const alerts = evaluateHistory(path, contextFor(rules, { geofences: [depot, yard] }))
    expect(alerts.map((a) => a.subject)).toEqual(['yard'])
  })
})
