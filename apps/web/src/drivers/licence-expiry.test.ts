import { describe, expect, it } from 'vitest'
import { classifyLicence } from './licence-expiry'

describe('licence expiry', () => {
  it('is expired from the day after its last valid day', () => {
    expect(classifyLicence('2026-03-09', '2026-03-10')).toBe('expired')
    expect(classifyLicence('2025-12-31', '2026-03-10')).toBe('expired')
  })

  it('is expiring on its last day and up to 30 days before', () => {
    expect(classifyLicence('2026-03-10', '2026-03-10')).toBe('expiring')
    expect(classifyLicence('2026-04-09', '2026-03-10')).toBe('expiring')
  })

  it('is valid beyond 30 days, across a month and a leap day', () => {
    expect(classifyLicence('2026-04-10', '2026-03-10')).toBe('valid')
    expect(classifyLicence('2028-03-31', '2028-02-28')).toBe('valid')
    expect(classifyLicence('2028-03-29', '2028-02-28')).toBe('expiring')
  })

  it('says nothing without an expiry', () => {
    expect(classifyLicence(null, '2026-03-10')).toBeNull()
  })
})
