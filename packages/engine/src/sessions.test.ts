import { describe, expect, it } from 'vitest'
import { findDrivingSessions, SESSION_BREAK_MS } from './sessions.ts'

const MIN = 60_000
const trip = (startMin: number, endMin: number) => ({
  start: startMin * MIN,
  end: endMin * MIN,
  drivingSec: (endMin - startMin) * 60,
})

describe('driving sessions', () => {
  it('joins trips separated by short stops and splits at a real break', () => {
    const sessions = findDrivingSessions([
      trip(145, 200),
      trip(0, 60),
      trip(65, 120),
      trip(230, 240),
    ])
    expect(sessions.map((s) => [s.start / MIN, s.end / MIN, s.trips])).toEqual([
      [0, 120, 2],
      [145, 200, 1],
      [230, 240, 1],
    ])
    expect(sessions[0]?.drivingSec).toBe(115 * 60)
  })

  it('treats a break of exactly the limit as a rest', () => {
    const sessions = findDrivingSessions([trip(0, 10), trip(10 + SESSION_BREAK_MS / MIN, 40)])
    expect(sessions).toHaveLength(2)
  })
})
