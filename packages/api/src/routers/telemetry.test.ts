import { randomUUID } from 'node:crypto'
import type { LiveFrame, LivePoint } from '@fms/live'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LiveConnection } from '../context.ts'
import { createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

function point(vehicleId: string, time: number): LivePoint {
  return {
    vehicleId,
    deviceId: randomUUID(),
    time,
    lat: 52.5,
    lon: 13.4,
    speed: 30,
    heading: 90,
    rpm: null,
    fuel: null,
    coolantTemp: null,
    engineLoad: null,
    odometer: null,
    ignition: true,
    status: null,
  }
}

type Tracked<T> = { id: string; data: T }

/** Reads frames from a subscription until `count` arrived or the time is up. */
async function collect<T>(iterable: AsyncIterable<unknown>, count: number, ms = 2000) {
  const items: Tracked<T>[] = []
  const iterator = iterable[Symbol.asyncIterator]()
  const deadline = Date.now() + ms
  while (items.length < count && Date.now() < deadline) {
    const next = await Promise.race([
      iterator.next(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), deadline - Date.now())),
    ])
    if (!next || next.done) break
    // Through createCaller a tracked() value is its envelope: [id, data, marker].
    const [id, data] = next.value as [string, T]
    items.push({ id, data })
  }
  await iterator.return?.()
  return items
}

function fakeConnection(): LiveConnection & { closed: number | null; backlog: number } {
  const connection = {
    closed: null as number | null,
    backlog: 0,
    activeSubscriptions: 0,
    socket: {
      get bufferedAmount() {
        return connection.backlog
      },
      close(code?: number) {
        connection.closed = code ?? 1000
      },
      once() {},
      off() {},
    },
  }
  return connection
}

describe('telemetry.latest', () => {
  it("returns every vehicle of the caller's organization and none of another's", async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    const mine = await a.caller.vehicles.create({ code: 'A1', vin: makeVin() })
    await b.caller.vehicles.create({ code: 'B1', vin: makeVin() })
    const latest = await a.caller.telemetry.latest()
    expect(latest.vehicles.map((v) => v.vehicleId)).toEqual([mine.id])
    expect(latest.lastEventId).toMatch(/^\d+-\d+$/)
  })
})

describe('telemetry.live', () => {
  it("streams only the caller's organization", async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    const frames = collect<LiveFrame>(await a.caller.telemetry.live({}), 1, 1000)
    await api.deps.live.publish({
      orgId: b.session.user.orgId,
      kind: 'points',
      points: [point('theirs', 1)],
    })
    await api.deps.live.publish({
      orgId: a.session.user.orgId,
      kind: 'points',
      points: [point('mine', 2)],
    })
    const received = await frames
    expect(received.flatMap((f) => f.data.points.map((p) => p.vehicleId))).toEqual(['mine'])
  })

  it('conflates to the latest point per vehicle between frames', async () => {
    const org = await api.registerOrg()
    const orgId = org.session.user.orgId
    const frames = collect<LiveFrame>(await org.caller.telemetry.live({}), 1)
    for (let t = 1; t <= 5; t++) {
      await api.deps.live.publish({ orgId, kind: 'points', points: [point('v', t)] })
    }
    const [first] = await frames
    expect(first?.data.points.map((p) => p.time)).toEqual([5])
  })

  it('replays what was missed after lastEventId, then goes on live', async () => {
    const org = await api.registerOrg()
    const orgId = org.session.user.orgId
    const start = await api.deps.live.latestId(orgId)
    await api.deps.live.publish({ orgId, kind: 'points', points: [point('v1', 1)] })
    await api.deps.live.publish({ orgId, kind: 'points', points: [point('v2', 1)] })
    const frames = await collect<LiveFrame>(
      await org.caller.telemetry.live({ lastEventId: start }),
      1,
    )
    expect(frames[0]?.data.points.map((p) => p.vehicleId).sort()).toEqual(['v1', 'v2'])
    expect(frames[0]?.id).toBe(await api.deps.live.latestId(orgId))
  })

  it('holds frames back from a socket that is behind, then closes it', async () => {
    const org = await api.registerOrg()
    const orgId = org.session.user.orgId
    const connection = fakeConnection()
    connection.backlog = 10 * 1024 * 1024
    const caller = createCaller(
      createInnerContext(api.deps, { accessToken: org.session.accessToken, connection }),
    )
    const original = api.deps.live.options.slowSocketCloseMs
    api.deps.live.options.slowSocketCloseMs = 200
    try {
      const frames = collect<LiveFrame>(await caller.telemetry.live({}), 1, 1500)
      const publisher = setInterval(() => {
        void api.deps.live.publish({ orgId, kind: 'points', points: [point('v', Date.now())] })
      }, 10)
      const received = await frames
      clearInterval(publisher)
      expect(received).toEqual([])
      expect(connection.closed).toBe(4008)
    } finally {
      api.deps.live.options.slowSocketCloseMs = original
    }
  })

  it('refuses more subscriptions than a socket may hold', async () => {
    const org = await api.registerOrg()
    const connection = fakeConnection()
    connection.activeSubscriptions = 10
    const caller = createCaller(
      createInnerContext(api.deps, { accessToken: org.session.accessToken, connection }),
    )
    await expectTRPCError(caller.telemetry.live({}), 'TOO_MANY_REQUESTS')
  })

  it('answers BAD_REQUEST to a malformed lastEventId or bbox', async () => {
    const org = await api.registerOrg()
    await expectTRPCError(org.caller.telemetry.live({ lastEventId: 'x' }), 'BAD_REQUEST')
    await expectTRPCError(org.caller.telemetry.live({ bbox: [10, 10, 0, 0] }), 'BAD_REQUEST')
  })
})

describe('fleet.changes', () => {
  it("streams vehicle changes of the caller's organization only", async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    const changes = collect<{ entity: string; action: string; id: string }>(
      await a.caller.fleet.changes({}),
      2,
    )
    await b.caller.vehicles.create({ code: 'B', vin: makeVin() })
    const vehicle = await a.caller.vehicles.create({ code: 'A', vin: makeVin() })
    await a.caller.vehicles.remove({ id: vehicle.id })
    expect((await changes).map((c) => [c.data.entity, c.data.action, c.data.id])).toEqual([
      ['vehicle', 'created', vehicle.id],
      ['vehicle', 'removed', vehicle.id],
    ])
  })
})
