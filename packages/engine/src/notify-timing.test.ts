import { describe, expect, it } from 'vitest'
import {
  findEmailDueAt,
  isInQuietHours,
  type NotifyTiming,
  readLocalMinute,
} from './notify-timing.ts'

const base: NotifyTiming = {
  timeZone: 'UTC',
  quietStartMinute: null,
  quietEndMinute: null,
  digestMinutes: null,
}
const at = (iso: string) => Date.parse(iso)

describe('readLocalMinute', () => {
  it('reads the wall clock of the zone', () => {
    expect(readLocalMinute(at('2026-07-01T10:15:00Z'), 'UTC')).toBe(615)
    expect(readLocalMinute(at('2026-07-01T10:15:00Z'), 'Europe/Berlin')).toBe(735)
    expect(readLocalMinute(at('2026-07-01T02:00:00Z'), 'America/New_York')).toBe(22 * 60)
  })
})

describe('isInQuietHours', () => {
  it('has none without both ends or with equal ends', () => {
    expect(isInQuietHours(at('2026-07-01T03:00:00Z'), base)).toBe(false)
    const same = { ...base, quietStartMinute: 60, quietEndMinute: 60 }
    expect(isInQuietHours(at('2026-07-01T01:00:00Z'), same)).toBe(false)
  })

  it('holds a window within a day, start included, end excluded', () => {
    const t = { ...base, quietStartMinute: 12 * 60, quietEndMinute: 13 * 60 }
    expect(isInQuietHours(at('2026-07-01T11:59:00Z'), t)).toBe(false)
    expect(isInQuietHours(at('2026-07-01T12:00:00Z'), t)).toBe(true)
    expect(isInQuietHours(at('2026-07-01T12:59:00Z'), t)).toBe(true)
    expect(isInQuietHours(at('2026-07-01T13:00:00Z'), t)).toBe(false)
  })

  it('holds a window over midnight in the local zone', () => {
    const t = {
      ...base,
      timeZone: 'Europe/Berlin',
      quietStartMinute: 22 * 60,
      quietEndMinute: 7 * 60,
    }
    // 21:30 UTC is 23:30 in Berlin (summer), 04:30 UTC is 06:30, 05:30 UTC is 07:30.
    expect(isInQuietHours(at('2026-07-01T21:30:00Z'), t)).toBe(true)
    expect(isInQuietHours(at('2026-07-02T04:30:00Z'), t)).toBe(true)
    expect(isInQuietHours(at('2026-07-02T05:30:00Z'), t)).toBe(false)
    expect(isInQuietHours(at('2026-07-01T19:30:00Z'), t)).toBe(false)
  })
})

describe('findEmailDueAt', () => {
  it('is now without digest or quiet hours', () => {
    expect(findEmailDueAt(at('2026-07-01T10:15:30Z'), base)).toBe(at('2026-07-01T10:15:30Z'))
  })

  it('gathers a digest window and sends it when the window closes', () => {
    const t = { ...base, digestMinutes: 15 }
    expect(findEmailDueAt(at('2026-07-01T10:00:00Z'), t)).toBe(at('2026-07-01T10:15:00Z'))
    expect(findEmailDueAt(at('2026-07-01T10:14:59Z'), t)).toBe(at('2026-07-01T10:15:00Z'))
    expect(findEmailDueAt(at('2026-07-01T10:15:00Z'), t)).toBe(at('2026-07-01T10:30:00Z'))
  })

  it('holds what falls in quiet hours until their local end', () => {
    const t = {
      ...base,
      timeZone: 'America/New_York',
      quietStartMinute: 22 * 60,
      quietEndMinute: 6 * 60 + 30,
    }
    // 03:00 UTC = 23:00 EDT; quiet ends 06:30 EDT = 10:30 UTC.
    expect(findEmailDueAt(at('2026-07-02T03:00:00Z'), t)).toBe(at('2026-07-02T10:30:00Z'))
    // 09:00 UTC = 05:00 EDT, the same morning.
    expect(findEmailDueAt(at('2026-07-02T09:00:00Z'), t)).toBe(at('2026-07-02T10:30:00Z'))
    expect(findEmailDueAt(at('2026-07-02T12:00:00Z'), t)).toBe(at('2026-07-02T12:00:00Z'))
  })

  it('ends quiet hours by the local clock across a DST change', () => {
    // Berlin goes to summer time on 2026-03-29 at 02:00 local (01:00 UTC).
    const t = { ...base, timeZone: 'Europe/Berlin', quietStartMinute: 0, quietEndMinute: 7 * 60 }
    // 00:30 UTC = 01:30 CET; 07:00 CEST = 05:00 UTC.
    expect(findEmailDueAt(at('2026-03-29T00:30:00Z'), t)).toBe(at('2026-03-29T05:00:00Z'))
  })
})
