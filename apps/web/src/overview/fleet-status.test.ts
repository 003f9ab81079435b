import { describe, expect, it } from 'vitest'
import { describeStatusCounts, placeStatusSegments } from './fleet-status'

describe('fleet status in words', () => {
  it('names every status and the fleet size', () => {
    expect(describeStatusCounts({ moving: 2, idle: 1, offline: 3 })).toBe(
      '2 moving, 1 idle, 3 offline of 6 vehicles',
    )
    expect(describeStatusCounts({ moving: 0, idle: 0, offline: 1 })).toBe(
      '0 moving, 0 idle, 1 offline of 1 vehicle',
    )
    expect(describeStatusCounts({ moving: 12_000, idle: 5_000, offline: 3_000 })).toBe(
      '12,000 moving, 5,000 idle, 3,000 offline of 20,000 vehicles',
    )
  })

  it('says when there are no vehicles', () => {
    expect(describeStatusCounts({ moving: 0, idle: 0, offline: 0 })).toBe('No vehicles')
  })
})

describe('fleet status bar', () => {
  it('splits the bar by each status’s share, leaving out empty ones', () => {
    expect(placeStatusSegments({ moving: 1, idle: 0, offline: 3 }, 400)).toEqual([
      { status: 'moving', x: 0, width: 100 },
      { status: 'offline', x: 100, width: 300 },
    ])
  })

  it('draws nothing for an empty fleet', () => {
    expect(placeStatusSegments({ moving: 0, idle: 0, offline: 0 }, 400)).toEqual([])
  })
})
