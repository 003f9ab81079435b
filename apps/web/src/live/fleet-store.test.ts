import type { LivePoint } from '@fms/api'
import { describe, expect, it, vi } from 'vitest'
import { createFleetStore, type TLatestVehicle } from './fleet-store'

const T0 = Date.parse('2026-05-01T12:00:00Z')

function latest(id: string, code: string, fields: Partial<TLatestVehicle> = {}): TLatestVehicle {
  return {
    vehicleId: id,
    code,
    plate: null,
    status: 'active',
    deviceId: null,
    time: null,
    lat: null,
    lon: null,
    speed: null,
    heading: null,
    rpm: null,
    fuel: null,
    coolantTemp: null,
    engineLoad: null,
    odometer: null,
    ignition: null,
    pointStatus: null,
    ...fields,
  }
}

function point(vehicleId: string | null, time: number, fields: Partial<LivePoint> = {}): LivePoint {
  return {
    vehicleId,
    deviceId: 'device',
    time,
    lat: 52.5,
    lon: 13.4,
    speed: 50,
    heading: 90,
    rpm: 2000,
    fuel: 60,
    coolantTemp: 88,
    engineLoad: 40,
    odometer: 1000,
    ignition: true,
    status: null,
    ...fields,
  }
}

describe('fleet store', () => {
  it('takes a snapshot with times as epoch ms, sorted by code', () => {
    const store = createFleetStore()
    store.replaceAll([latest('b', 'V-2'), latest('a', 'V-1', { time: new Date(T0), lat: 1 })])
    expect(store.getSorted().map((v) => v.code)).toEqual(['V-1', 'V-2'])
    expect(store.get('a')).toMatchObject({ time: T0, lat: 1 })
    expect(store.get('a')).not.toHaveProperty('pointStatus')
  })

  it('merges a newer point and notifies once per batch', () => {
    const store = createFleetStore()
    store.replaceAll([latest('a', 'V-1'), latest('b', 'V-2')])
    const listener = vi.fn()
    store.subscribe(listener)
    const result = store.applyPoints([point('a', T0), point('b', T0, { speed: 0 })])
    expect(result).toEqual({ changed: 2, unknown: 0 })
    expect(listener).toHaveBeenCalledOnce()
    expect(store.get('b')).toMatchObject({ time: T0, speed: 0, lat: 52.5 })
  })

  it('ignores a point older than the one held', () => {
    const store = createFleetStore()
    store.replaceAll([latest('a', 'V-1', { time: new Date(T0), speed: 10 })])
    expect(store.applyPoints([point('a', T0 - 1, { speed: 99 })]).changed).toBe(0)
    expect(store.get('a')?.speed).toBe(10)
  })

  it('keeps the last known value of readings a point leaves out', () => {
    const store = createFleetStore()
    store.replaceAll([latest('a', 'V-1', { time: new Date(T0), lat: 1, lon: 2, fuel: 70 })])
    store.applyPoints([point('a', T0 + 1000, { lat: null, lon: null, fuel: null, speed: 5 })])
    expect(store.get('a')).toMatchObject({ lat: 1, lon: 2, fuel: 70, speed: 5, time: T0 + 1000 })
  })

  it('counts points of vehicles it does not know and skips unlinked devices', () => {
    const store = createFleetStore()
    store.replaceAll([latest('a', 'V-1')])
    expect(store.applyPoints([point('new', T0), point(null, T0)])).toEqual({
      changed: 0,
      unknown: 1,
    })
    expect(store.size).toBe(1)
  })

  it('keeps live readings newer than a snapshot taken before them', () => {
    const store = createFleetStore()
    store.replaceAll([latest('a', 'V-1')])
    store.applyPoints([point('a', T0 + 5000, { speed: 70 })])
    store.replaceAll([latest('a', 'V-1b', { time: new Date(T0), speed: 0 }), latest('c', 'V-3')])
    expect(store.get('a')).toMatchObject({ code: 'V-1b', speed: 70, time: T0 + 5000 })
    expect(store.size).toBe(2)
  })

  it('drops vehicles missing from a new snapshot', () => {
    const store = createFleetStore()
    store.replaceAll([latest('a', 'V-1'), latest('b', 'V-2')])
    store.replaceAll([latest('b', 'V-2')])
    expect(store.get('a')).toBeUndefined()
  })

  it('keeps the identity of unchanged vehicles and of the sorted list until a change', () => {
    const store = createFleetStore()
    store.replaceAll([latest('a', 'V-1'), latest('b', 'V-2')])
    const before = store.getSorted()
    expect(store.getSorted()).toBe(before)
    store.applyPoints([point('a', T0)])
    const after = store.getSorted()
    expect(after).not.toBe(before)
    expect(after[1]).toBe(before[1])
    expect(after[0]).not.toBe(before[0])
  })
})
