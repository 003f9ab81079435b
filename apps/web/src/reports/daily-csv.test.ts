import { describe, expect, it } from 'vitest'
import { readFilename, toDailyCsvUrl } from './daily-csv'

describe('toDailyCsvUrl', () => {
  it('sends the period and zone, and the vehicle only when one is chosen', () => {
    const base = { from: '2026-11-01', to: '2026-11-30', timeZone: 'Europe/Berlin' }
    expect(toDailyCsvUrl(base)).toBe(
      '/api/reports/daily.csv?from=2026-11-01&to=2026-11-30&timeZone=Europe%2FBerlin',
    )
    expect(toDailyCsvUrl({ ...base, vehicleId: 'v1' })).toMatch(/&vehicleId=v1$/)
  })
})

describe('readFilename', () => {
  it('takes the name the server gave, else the fallback', () => {
    expect(readFilename('attachment; filename="fms-daily-a_b.csv"', 'x.csv')).toBe(
      'fms-daily-a_b.csv',
    )
    expect(readFilename(null, 'x.csv')).toBe('x.csv')
  })
})
