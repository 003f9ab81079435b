import { describe, expect, it } from 'vitest'
import {
  findLatestReportRun,
  findLocalHour,
  findNextReportRun,
  type ReportTiming,
} from './report-periods.ts'

const at = (iso: string) => Date.parse(iso)
const iso = (time: number) => new Date(time).toISOString()

function describeRun(run: ReturnType<typeof findLatestReportRun>) {
  return {
    fromDate: run.fromDate,
    toDate: run.toDate,
    start: iso(run.start),
    end: iso(run.end),
    dueAt: iso(run.dueAt),
  }
}

const berlinDaily: ReportTiming = { frequency: 'daily', timeZone: 'Europe/Berlin', sendHour: 6 }

describe('findLocalHour', () => {
  it('reads the wall clock of the zone', () => {
    expect(iso(findLocalHour('2026-07-01', 6, 'Europe/Berlin'))).toBe('2026-07-01T04:00:00.000Z')
    expect(iso(findLocalHour('2026-01-01', 6, 'America/New_York'))).toBe('2026-01-01T11:00:00.000Z')
  })

  it('moves an hour inside a spring-forward gap to the end of the gap', () => {
    expect(iso(findLocalHour('2026-03-29', 2, 'Europe/Berlin'))).toBe('2026-03-29T01:00:00.000Z')
    expect(iso(findLocalHour('2026-03-08', 2, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z')
  })

  it('takes the first of an hour that occurs twice', () => {
    // 02:00 CEST (00:00Z) and 02:00 CET (01:00Z) on 2026-10-25.
    expect(iso(findLocalHour('2026-10-25', 2, 'Europe/Berlin'))).toBe('2026-10-25T00:00:00.000Z')
    // 01:00 EDT (05:00Z) and 01:00 EST (06:00Z) on 2026-11-01.
    expect(iso(findLocalHour('2026-11-01', 1, 'America/New_York'))).toBe('2026-11-01T05:00:00.000Z')
  })
})

describe('daily reports', () => {
  it('cover yesterday once the send hour has passed', () => {
    const run = findLatestReportRun(berlinDaily, at('2026-07-02T05:00:00Z'))
    expect(describeRun(run)).toEqual({
      fromDate: '2026-07-01',
      toDate: '2026-07-01',
      start: '2026-06-30T22:00:00.000Z',
      end: '2026-07-01T22:00:00.000Z',
      dueAt: '2026-07-02T04:00:00.000Z',
    })
  })

  it('cover the day before yesterday until the send hour', () => {
    const run = findLatestReportRun(berlinDaily, at('2026-07-02T03:59:59Z'))
    expect(run.fromDate).toBe('2026-06-30')
    expect(iso(run.dueAt)).toBe('2026-07-01T04:00:00.000Z')
  })

  it('next run today at the send hour, or tomorrow once it passed', () => {
    expect(iso(findNextReportRun(berlinDaily, at('2026-07-02T03:00:00Z')).dueAt)).toBe(
      '2026-07-02T04:00:00.000Z',
    )
    const next = findNextReportRun(berlinDaily, at('2026-07-02T04:00:00Z'))
    expect(next.fromDate).toBe('2026-07-02')
    expect(iso(next.dueAt)).toBe('2026-07-03T04:00:00.000Z')
  })

  it('a spring-forward day lasts 23 hours and a fall-back day 25', () => {
    const spring = findLatestReportRun(berlinDaily, at('2026-03-30T12:00:00Z'))
    expect(spring.fromDate).toBe('2026-03-29')
    expect(spring.end - spring.start).toBe(23 * 3_600_000)
    expect(iso(spring.dueAt)).toBe('2026-03-30T04:00:00.000Z')
    const fall = findLatestReportRun(berlinDaily, at('2026-10-26T12:00:00Z'))
    expect(fall.fromDate).toBe('2026-10-25')
    expect(fall.end - fall.start).toBe(25 * 3_600_000)
    expect(iso(fall.dueAt)).toBe('2026-10-26T05:00:00.000Z')
  })

  it('a send hour in the gap goes out when the gap ends, once', () => {
    const timing: ReportTiming = { frequency: 'daily', timeZone: 'America/New_York', sendHour: 2 }
    const next = findNextReportRun(timing, at('2026-03-08T05:00:00Z'))
    expect(next.fromDate).toBe('2026-03-07')
    expect(iso(next.dueAt)).toBe('2026-03-08T07:00:00.000Z')
    const after = findNextReportRun(timing, next.dueAt)
    expect(after.fromDate).toBe('2026-03-08')
    expect(iso(after.dueAt)).toBe('2026-03-09T06:00:00.000Z')
  })

  it('running every due time in turn covers every day once, across both DST changes', () => {
    for (const timeZone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
      for (const sendHour of [0, 2, 3, 23]) {
        const timing: ReportTiming = { frequency: 'daily', timeZone, sendHour }
        let now = at('2026-01-01T00:00:00Z')
        let previous = findLatestReportRun(timing, now)
        for (let i = 0; i < 366; i++) {
          const next = findNextReportRun(timing, now)
          expect(next.dueAt).toBeGreaterThan(now)
          now = next.dueAt
          const run = findLatestReportRun(timing, now)
          expect(run).toEqual(next)
          expect(run.start).toBe(previous.end)
          previous = run
        }
      }
    }
  })
})

describe('weekly reports', () => {
  const timing: ReportTiming = { frequency: 'weekly', timeZone: 'Europe/Berlin', sendHour: 6 }

  it('cover Sunday to Saturday and go out on Sunday where the week starts on Sunday', () => {
    const sunday: ReportTiming = { ...timing, weekStart: 'sunday' }
    // 2026-07-08 is a Wednesday; its Sunday-based week began on 2026-07-05.
    const run = findLatestReportRun(sunday, at('2026-07-08T12:00:00Z'))
    expect(describeRun(run)).toEqual({
      fromDate: '2026-06-28',
      toDate: '2026-07-04',
      start: '2026-06-27T22:00:00.000Z',
      end: '2026-07-04T22:00:00.000Z',
      dueAt: '2026-07-05T04:00:00.000Z',
    })
    expect(iso(findNextReportRun(sunday, at('2026-07-08T12:00:00Z')).dueAt)).toBe(
      '2026-07-12T04:00:00.000Z',
    )
  })

  it('cover Monday to Sunday and go out on Monday', () => {
    // 2026-07-08 is a Wednesday.
    const run = findLatestReportRun(timing, at('2026-07-08T12:00:00Z'))
    expect(describeRun(run)).toEqual({
      fromDate: '2026-06-29',
      toDate: '2026-07-05',
      start: '2026-06-28T22:00:00.000Z',
      end: '2026-07-05T22:00:00.000Z',
      dueAt: '2026-07-06T04:00:00.000Z',
    })
    expect(iso(findNextReportRun(timing, at('2026-07-08T12:00:00Z')).dueAt)).toBe(
      '2026-07-13T04:00:00.000Z',
    )
  })

  it('a week over the fall-back change lasts 169 hours', () => {
    const run = findLatestReportRun(timing, at('2026-10-27T12:00:00Z'))
    expect(run.fromDate).toBe('2026-10-19')
    expect(run.toDate).toBe('2026-10-25')
    expect(run.end - run.start).toBe(169 * 3_600_000)
  })

  it('on Monday before the send hour, the week before last', () => {
    const run = findLatestReportRun(timing, at('2026-07-06T03:00:00Z'))
    expect(run.fromDate).toBe('2026-06-22')
  })
})

describe('monthly reports', () => {
  const timing: ReportTiming = { frequency: 'monthly', timeZone: 'America/New_York', sendHour: 6 }

  it('cover the last calendar month, whatever its length', () => {
    const february = findLatestReportRun(timing, at('2026-03-15T12:00:00Z'))
    expect(describeRun(february)).toEqual({
      fromDate: '2026-02-01',
      toDate: '2026-02-28',
      start: '2026-02-01T05:00:00.000Z',
      end: '2026-03-01T05:00:00.000Z',
      dueAt: '2026-03-01T11:00:00.000Z',
    })
    const leap = findLatestReportRun(timing, at('2028-03-02T00:00:00Z'))
    expect(leap.toDate).toBe('2028-02-29')
  })

  it('cross the year end', () => {
    const run = findLatestReportRun(timing, at('2027-01-01T12:00:00Z'))
    expect(run.fromDate).toBe('2026-12-01')
    expect(run.toDate).toBe('2026-12-31')
    const next = findNextReportRun(timing, at('2026-12-31T23:00:00Z'))
    expect(next.fromDate).toBe('2026-12-01')
    expect(iso(next.dueAt)).toBe('2027-01-01T11:00:00.000Z')
  })

  it('the month of the spring change is an hour short', () => {
    const run = findLatestReportRun(timing, at('2026-04-02T12:00:00Z'))
    expect(run.fromDate).toBe('2026-03-01')
    expect(run.end - run.start).toBe(31 * 86_400_000 - 3_600_000)
  })
})
