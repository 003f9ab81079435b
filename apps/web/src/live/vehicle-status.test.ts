import { describe, expect, it } from 'vitest'
import { classifyVehicleStatus, MOVING_MIN_SPEED_KMH, OFFLINE_AFTER_MS } from './vehicle-status'

const NOW = Date.parse('2026-05-01T12:00:00Z')

describe('vehicle status', () => {
  it('is offline without any report', () => {
    expect(classifyVehicleStatus({ time: null, speed: null }, NOW)).toBe('offline')
  })

  it('is offline once the last report is older than the limit', () => {
    const time = NOW - OFFLINE_AFTER_MS - 1
    expect(classifyVehicleStatus({ time, speed: 80 }, NOW)).toBe('offline')
    expect(classifyVehicleStatus({ time: time + 1, speed: 80 }, NOW)).toBe('moving')
  })

  it('is moving at or above the minimum speed and idle below it', () => {
    expect(classifyVehicleStatus({ time: NOW, speed: MOVING_MIN_SPEED_KMH }, NOW)).toBe('moving')
    expect(classifyVehicleStatus({ time: NOW, speed: MOVING_MIN_SPEED_KMH - 0.1 }, NOW)).toBe(
      'idle',
    )
  })

  it('treats a missing speed as standing', () => {
    expect(classifyVehicleStatus({ time: NOW, speed: null }, NOW)).toBe('idle')
  })

  it('counts a report slightly in the future as fresh', () => {
    expect(classifyVehicleStatus({ time: NOW + 30_000, speed: 0 }, NOW)).toBe('idle')
  })
})
