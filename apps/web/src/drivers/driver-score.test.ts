import { describe, expect, it } from 'vitest'
import { formatDriverName, formatPenalty, formatScore, formatScoreValue } from './driver-score'

describe('driver score in words', () => {
  it('gives each measure its unit', () => {
    expect(formatScoreValue({ component: 'harshBraking', value: 1.5 })).toBe(
      '1.5 events per 100 km',
    )
    expect(formatScoreValue({ component: 'idling', value: 20 })).toBe('20 % of engine-on time')
  })

  it('shows points off as a minus, and none as 0', () => {
    expect(formatPenalty(4.5)).toBe('−4.5')
    expect(formatPenalty(0)).toBe('0')
  })

  it('rounds the score and shows none as a dash', () => {
    expect(formatScore(86.6)).toBe('87')
    expect(formatScore(null)).toBe('–')
  })

  it('names an unknown driver by its identifier', () => {
    expect(formatDriverName({ driverName: 'Anna', identifier: 'RFID-1' })).toBe('Anna')
    expect(formatDriverName({ driverName: null, identifier: 'RFID-9' })).toBe('Unknown (RFID-9)')
  })
})
