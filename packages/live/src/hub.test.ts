import { getEventListeners } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { InProcessLiveBus } from './bus.ts'
import { SharedFrame } from './frame.ts'
import { FrameMailbox, LiveHub, matchesFilter, mergeLatest } from './hub.ts'
import type { LivePoint } from './types.ts'

function point(vehicleId: string, time: number, extra: Partial<LivePoint> = {}): LivePoint {
  return {
    vehicleId,
    deviceId: `d-${vehicleId}`,
    time,
    lat: 52.5,
    lon: 13.4,
    speed: 10,
    heading: null,
    rpm: null,
    fuel: null,
    coolantTemp: null,
    engineLoad: null,
    odometer: null,
    ignition: null,
    status: null,
    ...extra,
  }
}

describe('conflation', () => {
  it('keeps the newest point per vehicle, whatever order they come in', () => {
    const held = new Map<string, LivePoint>()
    mergeLatest(held, point('a', 2))
    mergeLatest(held, point('a', 1))
    mergeLatest(held, point('b', 5))
    expect([...held.values()].map((p) => [p.vehicleId, p.time])).toEqual([
      ['a', 2],
      ['b', 5],
    ])
  })

  it('filters by vehicle ids and by bounding box', () => {
    expect(matchesFilter({ vehicleIds: ['a'] }, point('a', 1))).toBe(true)
    expect(matchesFilter({ vehicleIds: ['a'] }, point('b', 1))).toBe(false)
    expect(matchesFilter({ bbox: [13, 52, 14, 53] }, point('a', 1))).toBe(true)
    expect(matchesFilter({ bbox: [0, 0, 1, 1] }, point('a', 1))).toBe(false)
    expect(matchesFilter({ bbox: [13, 52, 14, 53] }, point('a', 1, { lat: null }))).toBe(false)
  })

  it('leaves no abort listener behind after each wait', async () => {
    const mailbox = new FrameMailbox()
    const controller = new AbortController()
    for (let i = 0; i < 20; i++) {
      const taking = mailbox.take(controller.signal)
      mailbox.put({ id: `${i}-0`, frame: new SharedFrame([point('a', i)]) })
      await taking
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('merges frames a slow subscriber has not taken yet into one', async () => {
    const mailbox = new FrameMailbox()
    mailbox.put({ id: '1-0', frame: new SharedFrame([point('a', 1), point('b', 1)]) })
    mailbox.put({ id: '2-0', frame: new SharedFrame([point('a', 2)]) })
    const item = await mailbox.take(undefined)
    expect(item?.id).toBe('2-0')
    expect(item?.frame.points.map((p) => [p.vehicleId, p.time])).toEqual([
      ['a', 2],
      ['b', 1],
    ])
  })
})

describe('in-process bus', () => {
  it('assigns increasing ids and replays what came after an id', async () => {
    const bus = new InProcessLiveBus(10)
    for (let i = 0; i < 3; i++)
      await bus.publish({ orgId: 'o', kind: 'points', points: [point('a', i)] })
    const all = (await bus.since('o', '0-0')) ?? []
    expect(all).toHaveLength(3)
    const after = await bus.since('o', all[0]!.id)
    expect(after?.map((e) => e.id)).toEqual([all[1]!.id, all[2]!.id])
    expect(await bus.latestId('o')).toBe(all[2]!.id)
  })

  it('answers null for a position older than the kept history', async () => {
    const bus = new InProcessLiveBus(2)
    for (let i = 0; i < 5; i++)
      await bus.publish({ orgId: 'o', kind: 'points', points: [point('a', i)] })
    expect(await bus.since('o', '1-0')).toBeNull()
  })

  it('bounds the history by points too: a client behind the dropped points is told to resync', async () => {
    const bus = new InProcessLiveBus(1000, 10)
    const ids: string[] = []
    bus.subscribe('o', (entry) => ids.push(entry.id))
    for (let i = 0; i < 5; i++) {
      const points = Array.from({ length: 4 }, (_, k) => point('a', i * 4 + k))
      await bus.publish({ orgId: 'o', kind: 'points', points })
    }
    // 20 points in batches of 4, at most 10 kept: whole batches, the newest two.
    const kept = (await bus.since('o', ids[2]!)) ?? []
    expect(kept.map((e) => e.id)).toEqual([ids[3], ids[4]])
    expect(await bus.since('o', ids[1]!)).toBeNull()
  })

  it('keeps a batch larger than the point bound whole, as the newest entry', async () => {
    const bus = new InProcessLiveBus(1000, 3)
    const ids: string[] = []
    bus.subscribe('o', (entry) => ids.push(entry.id))
    await bus.publish({ orgId: 'o', kind: 'points', points: [point('a', 1)] })
    const large = [point('a', 2), point('a', 3), point('a', 4), point('a', 5)]
    await bus.publish({ orgId: 'o', kind: 'points', points: large })
    const kept = (await bus.since('o', ids[0]!)) ?? []
    expect(kept.map((e) => e.id)).toEqual([ids[1]])
    expect(await bus.latestId('o')).toBe(ids[1])
  })

  it('keeps organizations apart', async () => {
    const bus = new InProcessLiveBus()
    const seen: string[] = []
    bus.subscribe('a', (entry) => seen.push(entry.message.orgId))
    await bus.publish({ orgId: 'b', kind: 'points', points: [point('x', 1)] })
    await bus.publish({ orgId: 'a', kind: 'points', points: [point('y', 1)] })
    expect(seen).toEqual(['a'])
  })
})

describe('hub', () => {
  it('serializes one frame per group and hands the same object to every subscriber', async () => {
    const hub = new LiveHub(new InProcessLiveBus(), { flushMs: 60_000 })
    const first = hub.joinPoints('o', {})
    const second = hub.joinPoints('o', {})
    await hub.publish({ orgId: 'o', kind: 'points', points: [point('a', 1)] })
    hub.flush()
    const [a, b] = await Promise.all([
      first.mailbox.take(undefined),
      second.mailbox.take(undefined),
    ])
    expect(a?.frame).toBe(b?.frame)
    expect(a?.frame.json).toContain('"vehicleId":"a"')
    await hub.close()
  })
})

describe('hub frame timing', () => {
  // The hub schedules frames with timers against performance.now(): both faked, so the test
  // steps through time instead of waiting on it.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  /** Whether the mailbox holds a frame now, and its points' [vehicle, time] if so. */
  async function peek(mailbox: FrameMailbox) {
    const controller = new AbortController()
    const taking = mailbox.take(controller.signal)
    controller.abort()
    const item = await taking
    return item?.frame.points.map((p) => [p.vehicleId, p.time]) ?? null
  }

  it('sends a lone point once the coalescing window has passed, not a flush interval later', async () => {
    const hub = new LiveHub(new InProcessLiveBus(), { flushMs: 1000, coalesceMs: 20 })
    const { mailbox } = hub.joinPoints('o', {})
    await hub.publish({ orgId: 'o', kind: 'points', points: [point('a', 1)] })
    await vi.advanceTimersByTimeAsync(19)
    expect(await peek(mailbox)).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(await peek(mailbox)).toEqual([['a', 1]])
    await hub.close()
  })

  it('puts news arriving within the coalescing window into the same frame', async () => {
    const hub = new LiveHub(new InProcessLiveBus(), { flushMs: 1000, coalesceMs: 20 })
    const { mailbox } = hub.joinPoints('o', {})
    await hub.publish({ orgId: 'o', kind: 'points', points: [point('a', 1)] })
    await vi.advanceTimersByTimeAsync(10)
    await hub.publish({ orgId: 'o', kind: 'points', points: [point('b', 2)] })
    await vi.advanceTimersByTimeAsync(10)
    expect(await peek(mailbox)).toEqual([
      ['a', 1],
      ['b', 2],
    ])
    await hub.close()
  })

  it("spaces a busy group's frames by the flush interval", async () => {
    const hub = new LiveHub(new InProcessLiveBus(), { flushMs: 50, coalesceMs: 10 })
    const { mailbox } = hub.joinPoints('o', {})
    await hub.publish({ orgId: 'o', kind: 'points', points: [point('a', 1)] })
    await vi.advanceTimersByTimeAsync(10)
    expect(await peek(mailbox)).toEqual([['a', 1]])
    await hub.publish({ orgId: 'o', kind: 'points', points: [point('a', 2)] })
    // The window has passed, but the previous frame went out only 10 ms ago.
    await vi.advanceTimersByTimeAsync(10)
    expect(await peek(mailbox)).toBeNull()
    await vi.advanceTimersByTimeAsync(40)
    expect(await peek(mailbox)).toEqual([['a', 2]])
    await hub.close()
  })

  it('holds one merged frame for a subscriber that reads nothing, however many frames go out', async () => {
    const hub = new LiveHub(new InProcessLiveBus(), { flushMs: 50, coalesceMs: 10 })
    const slow = hub.joinPoints('o', {})
    const reader = hub.joinPoints('o', {})
    let framesRead = 0
    for (let i = 0; i < 200; i++) {
      await hub.publish({ orgId: 'o', kind: 'points', points: [point(`v${i % 3}`, i)] })
      await vi.advanceTimersByTimeAsync(50)
      if ((await peek(reader.mailbox)) !== null) framesRead++
    }
    expect(framesRead).toBe(200)
    expect(await peek(slow.mailbox)).toEqual([
      ['v0', 198],
      ['v1', 199],
      ['v2', 197],
    ])
    expect(await peek(slow.mailbox)).toBeNull()
    await hub.close()
  })
})

describe('alert messages', () => {
  it('go to alert listeners of their organization only, never into point frames', async () => {
    const bus = new InProcessLiveBus()
    const hub = new LiveHub(bus, { flushMs: 5 })
    const received: string[] = []
    const leaveAlerts = hub.joinAlerts('org-a', (_id, alert) => received.push(alert.key))
    const leaveOther = hub.joinAlerts('org-b', (_id, alert) => received.push(`b:${alert.key}`))
    const { mailbox, leave } = hub.joinPoints('org-a', {})
    const alert = {
      id: 'x',
      vehicleId: 'v',
      ruleId: null,
      kind: 'overspeed',
      key: 'k1',
      time: 1,
      endTime: null,
      emittedAt: 1,
      value: 90,
      message: 'Overspeed',
      acknowledgedAt: null,
      isRetracted: false,
    }
    await bus.publish({ orgId: 'org-a', kind: 'alert', alert })
    await bus.publish({ orgId: 'org-a', kind: 'points', points: [point('a', 1)] })
    hub.flush()
    expect(received).toEqual(['k1'])
    const item = await mailbox.take(undefined)
    expect(item?.frame.points.map((p) => p.vehicleId)).toEqual(['a'])
    leave()
    leaveAlerts()
    leaveOther()
    await hub.close()
  })
})
