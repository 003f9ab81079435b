import type { TTelemetryPointWire } from '@fms/api/schemas'
import { describe, expect, it } from 'vitest'
import { createDevice } from './device.ts'

const point = (time: number): TTelemetryPointWire => ({ device_id: 'd', time })
const times = (points: TTelemetryPointWire[]) => points.map((p) => p.time)

describe('createDevice', () => {
  it('hands out the oldest points first', () => {
    const device = createDevice('d')
    for (let t = 1; t <= 5; t++) device.record(point(t))
    expect(times(device.take(2))).toEqual([1, 2])
    expect(device.pendingCount).toBe(3)
    expect(device.inFlightCount).toBe(2)
  })

  it('puts the points of a failed request back in front, in order', () => {
    const device = createDevice('d')
    for (let t = 1; t <= 5; t++) device.record(point(t))
    const batch = device.take(3)
    device.record(point(6))
    device.restore(batch)
    expect(device.inFlightCount).toBe(0)
    expect(times(device.take(10))).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('forgets acknowledged points', () => {
    const device = createDevice('d')
    device.record(point(1))
    device.acknowledge(device.take(10))
    expect(device.pendingCount + device.inFlightCount).toBe(0)
  })

  it('drops the oldest points beyond its bound, counts and reports them', () => {
    const drops: number[] = []
    const device = createDevice('d', { maxBuffered: 3, onDrop: (_, count) => drops.push(count) })
    for (let t = 1; t <= 5; t++) device.record(point(t))
    expect(device.droppedCount).toBe(2)
    expect(drops).toEqual([1, 1])
    expect(times(device.take(10))).toEqual([3, 4, 5])
  })

  it('counts points in flight against the bound', () => {
    const device = createDevice('d', { maxBuffered: 3 })
    for (let t = 1; t <= 3; t++) device.record(point(t))
    const batch = device.take(2)
    device.record(point(4))
    device.record(point(5))
    device.restore(batch)
    expect(device.droppedCount).toBe(2)
    expect(times(device.take(10))).toEqual([1, 2, 5])
  })
})
