import { describe, expect, it } from 'vitest'
import { ZTelemetryHistoryInput, ZTelemetryPointsInput } from './live.ts'
import { ZDailyReportInput, ZTimeRangeReportInput } from './reports.ts'
import { RANGE_ERRORS } from './time-range.ts'

const VEHICLE = '00000000-0000-4000-8000-000000000001'

function messagesAt(
  result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } },
  field: string,
) {
  return (result.error?.issues ?? []).filter((i) => i.path[0] === field).map((i) => i.message)
}

describe('instant ranges', () => {
  const inputs = [
    ['reports.trips', ZTimeRangeReportInput, {}],
    ['telemetry.history', ZTelemetryHistoryInput, { vehicleId: VEHICLE }],
    ['telemetry.points', ZTelemetryPointsInput, { vehicleId: VEHICLE }],
  ] as const

  it.each(inputs)('%s takes Dates and ISO 8601 strings with offset', (_, schema, extra) => {
    const parsed = schema.parse({
      ...extra,
      from: '2026-11-01T00:00:00+01:00',
      to: new Date('2026-11-02T00:00:00Z'),
    })
    expect(parsed.from).toEqual(new Date('2026-10-31T23:00:00Z'))
    expect(parsed.to).toEqual(new Date('2026-11-02T00:00:00Z'))
  })

  it.each(inputs)(
    '%s refuses an empty range on `to`, with the shared message',
    (_, schema, extra) => {
      const at = new Date('2026-11-01T00:00:00Z')
      const result = schema.safeParse({ ...extra, from: at, to: at })
      expect(messagesAt(result, 'to')).toEqual([RANGE_ERRORS.instantOrder])
    },
  )

  it('refuses a range over the limit on `from`', () => {
    const result = ZTimeRangeReportInput.safeParse({
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:01Z',
    })
    expect(messagesAt(result, 'from')).toEqual([RANGE_ERRORS.tooLong(31)])
  })
})

describe('calendar ranges', () => {
  it('takes both days inclusive, 31 of them at most', () => {
    expect(ZDailyReportInput.safeParse({ from: '2026-01-01', to: '2026-01-31' }).success).toBe(true)
    const result = ZDailyReportInput.safeParse({ from: '2026-01-01', to: '2026-02-01' })
    expect(messagesAt(result, 'from')).toEqual([RANGE_ERRORS.tooLong(31)])
  })

  it('takes a single day and defaults the time zone to UTC', () => {
    expect(ZDailyReportInput.parse({ from: '2026-11-01', to: '2026-11-01' }).timeZone).toBe('UTC')
  })

  it('refuses `to` before `from` on `to`, with the shared message', () => {
    const result = ZDailyReportInput.safeParse({ from: '2026-11-02', to: '2026-11-01' })
    expect(messagesAt(result, 'to')).toEqual([RANGE_ERRORS.calendarOrder])
  })
})
