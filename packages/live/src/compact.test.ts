import { describe, expect, it } from 'vitest'
import { CompactKeys, type CompactLiveFrame, decodeCompactFrame } from './compact.ts'
import { CompactSubscription, SharedFrame } from './frame.ts'
import type { LivePoint } from './types.ts'

function point(i: number, overrides: Partial<LivePoint> = {}): LivePoint {
  return {
    vehicleId: `0000000${i}-aaaa-4aaa-8aaa-${String(i).padStart(12, '0')}`,
    deviceId: `0000000${i}-bbbb-4bbb-8bbb-${String(i).padStart(12, '0')}`,
    time: 1_767_225_600_000 + i * 1000,
    lat: Number((48.137154 + i / 1e4).toFixed(6)),
    lon: Number((11.576124 - i / 1e4).toFixed(6)),
    speed: 52.3,
    heading: 271.5,
    rpm: 2150,
    fuel: 63.4,
    coolantTemp: 88.5,
    engineLoad: 41.2,
    odometer: 123_456.7,
    ignition: true,
    status: 'moving',
    ...overrides,
  }
}

/** The view's frame as a client parses it off the wire. */
function wire(subscription: CompactSubscription, frame: SharedFrame): CompactLiveFrame {
  return JSON.parse(subscription.view(frame).json) as CompactLiveFrame
}

describe('the compact live frame', () => {
  it('reads back every reading, to the scale it travels at', () => {
    const keys = new CompactKeys()
    const points = [
      point(1),
      point(2, { lat: -33.868_82, lon: 151.209_29, speed: 0, heading: null, ignition: false }),
      point(3, { vehicleId: null, status: null, rpm: null, fuel: null, odometer: null }),
    ]
    const known = new Map()
    const decoded = decodeCompactFrame(
      wire(new CompactSubscription(keys), new SharedFrame(points, false, keys)),
      known,
    )
    expect(decoded).toEqual(points)
  })

  it('rounds to a millionth of a degree and a tenth of most readings', () => {
    const keys = new CompactKeys()
    const frame = new SharedFrame([point(1, { lat: 48.123_456_78, speed: 52.349 })], false, keys)
    const [decoded] = decodeCompactFrame(wire(new CompactSubscription(keys), frame), new Map())
    expect(decoded?.lat).toBe(48.123_457)
    expect(decoded?.speed).toBe(52.3)
  })

  it('carries hostile texts exactly, whatever they contain', () => {
    const keys = new CompactKeys()
    const statuses = ['a,b;c', '"quoted" \\ back', '<img src=x onerror=alert(1)>', 'ünï ✓', '']
    const points = statuses.map((status, i) => point(i + 1, { status }))
    const decoded = decodeCompactFrame(
      wire(new CompactSubscription(keys), new SharedFrame(points, false, keys)),
      new Map(),
    )
    expect(decoded.map((p) => p.status)).toEqual(statuses)
  })

  it("sends each vehicle's key to a subscription once, and again to a new subscription", () => {
    const keys = new CompactKeys()
    const first = new CompactSubscription(keys)
    const one = wire(first, new SharedFrame([point(1), point(2)], false, keys))
    const two = wire(first, new SharedFrame([point(2), point(3)], false, keys))
    expect(one.keys.map(([, vehicleId]) => vehicleId)).toEqual([
      point(1).vehicleId,
      point(2).vehicleId,
    ])
    expect(two.keys.map(([, vehicleId]) => vehicleId)).toEqual([point(3).vehicleId])
    const later = wire(new CompactSubscription(keys), new SharedFrame([point(2)], false, keys))
    expect(later.keys.map(([, vehicleId]) => vehicleId)).toEqual([point(2).vehicleId])
    // A client that keeps its key table decodes every frame of its subscription.
    const known = new Map()
    expect(decodeCompactFrame(one, known)).toHaveLength(2)
    expect(decodeCompactFrame(two, known).map((p) => p.vehicleId)).toEqual([
      point(2).vehicleId,
      point(3).vehicleId,
    ])
  })

  it('takes at most 60 bytes per vehicle update with every live reading set', () => {
    const keys = new CompactKeys()
    const subscription = new CompactSubscription(keys)
    const fleet = Array.from({ length: 20_000 }, (_, i) => point(i))
    // The first frame also carries the keys; the steady state is every later frame.
    subscription.view(new SharedFrame(fleet, false, keys))
    const next = fleet.map((p) => ({ ...p, time: p.time + 1000, lat: (p.lat ?? 0) + 0.0001 }))
    const bytes = Buffer.byteLength(subscription.view(new SharedFrame(next, false, keys)).json)
    expect(bytes / next.length).toBeLessThanOrEqual(60)
    const plain = Buffer.byteLength(new SharedFrame(next).json)
    expect(plain / bytes).toBeGreaterThan(4)
  })
})
