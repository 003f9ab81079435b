import { describe, expect, it } from 'vitest'
import type { TFleetVehicle } from '../live/fleet-store'
import { countByStatus, filterVehicles, findVisibleRows } from './vehicle-filter'

const NOW = Date.parse('2026-05-01T12:00:00Z')

function vehicle(code: string, fields: Partial<TFleetVehicle> = {}): TFleetVehicle {
  return {
    vehicleId: code,
    code,
    plate: null,
    time: NOW,
    lat: 52.5,
    lon: 13.4,
    speed: 0,
    heading: 0,
    rpm: null,
    fuel: null,
    coolantTemp: null,
    engineLoad: null,
    odometer: null,
    ignition: null,
    ...fields,
  }
}

const FLEET = [
  vehicle('TRUCK-1', { speed: 60, plate: 'B-AB 123' }),
  vehicle('TRUCK-2'),
  vehicle('VAN-1', { time: null }),
]

describe('vehicle list filter', () => {
  it('matches code or plate in any case', () => {
    expect(filterVehicles(FLEET, { search: 'truck', status: 'all' }, NOW)).toHaveLength(2)
    expect(filterVehicles(FLEET, { search: ' ab 12 ', status: 'all' }, NOW)).toEqual([FLEET[0]])
  })

  it('keeps only the vehicles of the chosen group, with the other filters', () => {
    const group = new Set(['TRUCK-2', 'VAN-1'])
    const inGroup = { search: '', status: 'all', groupVehicleIds: group } as const
    expect(filterVehicles(FLEET, inGroup, NOW)).toEqual([FLEET[1], FLEET[2]])
    expect(filterVehicles(FLEET, { ...inGroup, search: 'truck' }, NOW)).toEqual([FLEET[1]])
    expect(filterVehicles(FLEET, { ...inGroup, groupVehicleIds: null }, NOW)).toEqual(FLEET)
    expect(filterVehicles(FLEET, { ...inGroup, groupVehicleIds: new Set() }, NOW)).toEqual([])
  })

  it('filters by status', () => {
    expect(filterVehicles(FLEET, { search: '', status: 'idle' }, NOW)).toEqual([FLEET[1]])
    expect(filterVehicles(FLEET, { search: 'van', status: 'moving' }, NOW)).toEqual([])
  })

  it('counts vehicles per status', () => {
    expect(countByStatus(FLEET, NOW)).toEqual({ moving: 1, idle: 1, offline: 1 })
  })

  it('finds the visible rows with overscan, clamped to the list', () => {
    const rows = { viewportHeight: 200, rowHeight: 50, count: 100, overscan: 2 }
    expect(findVisibleRows({ ...rows, scrollTop: 0 })).toEqual({ start: 0, end: 7 })
    expect(findVisibleRows({ ...rows, scrollTop: 1000 })).toEqual({ start: 18, end: 27 })
    expect(findVisibleRows({ ...rows, scrollTop: 99_999 })).toEqual({ start: 98, end: 100 })
  })
})
