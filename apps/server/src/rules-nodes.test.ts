import { eq } from '@fms/db'
import { shardLeases, shardOfVehicle } from '@fms/db/schema'
import { createTestDb } from '@fms/db/testing'
import {
  createApiClient,
  type Fleet,
  postTelemetry,
  provisionFleet,
  type WirePoint,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'
import { startTcpProxy } from './testing/tcp-proxy.ts'
import { waitUntil } from './testing/wait.ts'
import { type Received, startReceiver } from './testing/webhook-receiver.ts'

// Several server processes on one PostgreSQL, a device's requests spread over them as a
// round-robin balancer would: the rules run once per vehicle in the cluster, so an episode gives
// one alert and one webhook per alert version, whichever node took which point, and a node dying
// or joining mid-episode changes nothing.
let scratch: Awaited<ReturnType<typeof createTestDb>>
const nodes: SpawnedServer[] = []
let receiver: Awaited<ReturnType<typeof startReceiver>>
/** The nodes share a Redis (live bus, sign-in counters) as deployed, through a proxy a test can cut. */
let redis: Awaited<ReturnType<typeof startTcpProxy>>

async function startNode(): Promise<SpawnedServer> {
  const node = await spawnServer({
    DATABASE_URL: scratch.url ?? '',
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    INGEST_RATE_LIMIT: '0',
    ALERTS_RULE_CACHE_SEC: '0',
    ALERTS_LEASE_TTL_SEC: '2',
    ALERTS_TICK_SEC: '1',
    WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
  })
  nodes.push(node)
  return node
}

/** The running node that holds the vehicle's shard (each node logs its id with its shards). */
async function ownerOf(vehicleId: string): Promise<SpawnedServer | undefined> {
  const [lease] = await scratch.db
    .select()
    .from(shardLeases)
    .where(eq(shardLeases.shard, shardOfVehicle(vehicleId)))
  const owner = lease?.owner
  return owner ? alive().find((n) => n.output().includes(`"node":"${owner}"`)) : undefined
}

const alive = () => nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null)

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  receiver = await startReceiver()
  redis = await startTcpProxy({ host: '127.0.0.1', port: 6379 })
  await Promise.all([startNode(), startNode()])
}, 90_000)

afterAll(async () => {
  for (const node of nodes) node.child.kill('SIGKILL')
  await Promise.all(nodes.map((n) => n.exited))
  await receiver?.close()
  await redis?.close()
  await scratch?.close()
})

/** An organization with an overspeed rule (100 km/h for 10 s) and a webhook to the receiver. */
async function provisionWatchedFleet(vehicles: number): Promise<Fleet> {
  const [first] = alive()
  if (!first) throw new Error('no node running')
  const fleet = await provisionFleet(first.url, { vehicles })
  await fleet.api.rules.create.mutate({ kind: 'overspeed', threshold: 100, durationSec: 10 })
  await fleet.api.webhooks.create.mutate({ url: receiver.url })
  return fleet
}

/**
 * A 90-second overspeed episode at 1 Hz, in the past: 20 s at 50 km/h, 90 s at 120 km/h, then 30 s
 * at 50 km/h (the episode ends).
 */
function overspeedDrive(deviceId: string, startMs: number): WirePoint[] {
  return Array.from({ length: 140 }, (_, i) => ({
    device_id: deviceId,
    time: new Date(startMs + i * 1000).toISOString(),
    lat: 52.5 + i * 0.0003,
    lon: 13.4,
    speed: i >= 20 && i < 110 ? 120 : 50,
    ignition: true,
  }))
}

/** Posts the points in requests of `size`, request k to `pickNode(k)`, in order. */
async function postSpread(
  fleet: Fleet,
  points: WirePoint[],
  size: number,
  pickNode: (k: number) => SpawnedServer,
  beforeRequest: (k: number) => Promise<void> = async () => {},
) {
  for (let k = 0; k * size < points.length; k++) {
    await beforeRequest(k)
    const node = pickNode(k)
    const answer = await postTelemetry(node.url, {
      token: fleet.token.secret,
      body: points.slice(k * size, (k + 1) * size),
    })
    expect(answer.status).toBe(200)
  }
}

const roundRobin = (k: number) => {
  const running = alive()
  const node = running[k % running.length]
  if (!node) throw new Error('no node running')
  return node
}

/** The fleet's admin on a node that is running (any node serves any request). */
function apiOf(fleet: Fleet) {
  return createApiClient(roundRobin(0).url, fleet.accessToken)
}

/** The vehicle's alerts once its overspeed episode has ended, as (start, end, value) from `start`. */
async function settledAlerts(fleet: Fleet, vehicleId: string, startMs: number) {
  let items: Awaited<ReturnType<ReturnType<typeof apiOf>['alerts']['list']['query']>>['items'] = []
  await waitUntil(
    async () => {
      items = (await apiOf(fleet).alerts.list.query({ vehicleId })).items
      return items.length > 0 && items.every((a) => a.endTime !== null)
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `the alerts of ${vehicleId} to settle` },
  )
  return items.map((a) => ({
    kind: a.kind,
    startsAfterSec: (a.time.getTime() - startMs) / 1000,
    lastsSec: ((a.endTime?.getTime() ?? 0) - a.time.getTime()) / 1000,
    value: a.value,
  }))
}

/** Webhook requests the receiver got for these alert ids, by alert id and version. */
function deliveriesOf(alertIds: readonly string[]) {
  const byVersion = new Map<string, number>()
  for (const request of receiver.received as Received[]) {
    const event = JSON.parse(request.body) as {
      alert?: { id: string; endTime: string | null; emittedAt: string }
    }
    if (!event.alert || !alertIds.includes(event.alert.id)) continue
    const version = `${event.alert.id}@${event.alert.emittedAt}/${event.alert.endTime}`
    byVersion.set(version, (byVersion.get(version) ?? 0) + 1)
  }
  return byVersion
}

async function expectOneDeliveryPerVersion(fleet: Fleet, vehicleId: string) {
  const { items } = await apiOf(fleet).alerts.list.query({ vehicleId })
  const ids = items.map((a) => a.id)
  // The opening and the closing version, each delivered once.
  await waitUntil(() => deliveriesOf(ids).size >= 2, {
    timeoutMs: 15_000,
    what: 'both versions of the alert to be delivered',
  })
  // Give a duplicate the time it would need to show up.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const versions = deliveriesOf(ids)
  expect([...versions.values()]).toEqual([1, 1])
}

const START = Date.now() - 30 * 60_000
/** What the overspeed drive raises: one episode from the first fast point to the first slow one. */
const EPISODE = { kind: 'overspeed', startsAfterSec: 20, lastsSec: 90, value: 120 }

describe('rules across server nodes', () => {
  it('gives the same single alert whether a vehicle reports to one node or alternates between two', async () => {
    const fleet = await provisionWatchedFleet(2)
    const [a] = alive()
    if (!a) throw new Error('no node running')
    const [oneNode, spread] = fleet.deviceIds
    const [oneNodeVehicle, spreadVehicle] = fleet.vehicleIds
    if (!oneNode || !spread || !oneNodeVehicle || !spreadVehicle) throw new Error('no fleet')

    await postSpread(fleet, overspeedDrive(oneNode, START), 5, () => a)
    await postSpread(fleet, overspeedDrive(spread, START), 5, roundRobin)

    const expected = await settledAlerts(fleet, oneNodeVehicle, START)
    expect(expected).toEqual([EPISODE])
    expect(await settledAlerts(fleet, spreadVehicle, START)).toEqual(expected)
    await expectOneDeliveryPerVersion(fleet, spreadVehicle)
  })

  it('still yields exactly one alert and one delivery per version when a node is killed mid-episode', async () => {
    const fleet = await provisionWatchedFleet(1)
    const [deviceId] = fleet.deviceIds
    const [vehicleId] = fleet.vehicleIds
    if (!deviceId || !vehicleId) throw new Error('no fleet')
    await postSpread(fleet, overspeedDrive(deviceId, START), 5, roundRobin, async (k) => {
      // Halfway through the episode, the node running the vehicle's rules dies without a word.
      if (k === 12) {
        const victim = await ownerOf(vehicleId)
        if (!victim || alive().length < 2) throw new Error('no owner to kill')
        victim.child.kill('SIGKILL')
        await victim.exited
      }
    })

    expect(await settledAlerts(fleet, vehicleId, START)).toEqual([EPISODE])
    await expectOneDeliveryPerVersion(fleet, vehicleId)
  })

  it('hands shards to a node that joins mid-stream, without a duplicate', async () => {
    while (alive().length < 2) await startNode()
    const fleet = await provisionWatchedFleet(1)
    const [deviceId] = fleet.deviceIds
    const [vehicleId] = fleet.vehicleIds
    if (!deviceId || !vehicleId) throw new Error('no fleet')
    let joined: SpawnedServer | undefined

    await postSpread(fleet, overspeedDrive(deviceId, START), 5, roundRobin, async (k) => {
      if (k === 10) joined = await startNode()
    })

    expect(await settledAlerts(fleet, vehicleId, START)).toEqual([EPISODE])
    await expectOneDeliveryPerVersion(fleet, vehicleId)
    // The newcomer holds its share: 64 shards over three nodes.
    await waitUntil(
      async () => {
        const leases = await scratch.db.select().from(shardLeases)
        const owners = new Set(leases.map((l) => l.owner))
        return owners.size === 3 && !owners.has(null) && joined !== undefined
      },
      { timeoutMs: 15_000, intervalMs: 200, what: 'three nodes to share the shards' },
    )
  })

  it("raises a silent vehicle's offline alert once, and sends it once, with every node ticking", async () => {
    while (alive().length < 2) await startNode()
    const fleet = await provisionWatchedFleet(1)
    await fleet.api.rules.create.mutate({ kind: 'offline', durationSec: 2 })
    const [deviceId] = fleet.deviceIds
    const [vehicleId] = fleet.vehicleIds
    if (!deviceId || !vehicleId) throw new Error('no fleet')
    const point = { device_id: deviceId, time: new Date().toISOString(), lat: 52.5, lon: 13.4 }
    await postSpread(fleet, [point], 1, roundRobin)

    const offline = async () =>
      (await apiOf(fleet).alerts.list.query({ vehicleId, kind: 'offline' })).items
    await waitUntil(async () => (await offline()).length > 0, {
      timeoutMs: 15_000,
      intervalMs: 200,
      what: 'the offline alert',
    })
    // Every node ticks every second; only the shard's owner ticks this vehicle.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const alerts = await offline()
    expect(alerts).toHaveLength(1)
    expect(alerts[0]?.endTime).toBeNull()
    expect([...deliveriesOf(alerts.map((a) => a.id)).values()]).toEqual([1])
  })

  it('loses nothing and repeats nothing when Redis goes away mid-episode and comes back', async () => {
    while (alive().length < 2) await startNode()
    const fleet = await provisionWatchedFleet(1)
    const [deviceId] = fleet.deviceIds
    const [vehicleId] = fleet.vehicleIds
    if (!deviceId || !vehicleId) throw new Error('no fleet')

    await postSpread(fleet, overspeedDrive(deviceId, START), 5, roundRobin, async (k) => {
      if (k === 8) await redis.cut()
      if (k === 20) await redis.restore()
    })

    expect(await settledAlerts(fleet, vehicleId, START)).toEqual([EPISODE])
    await expectOneDeliveryPerVersion(fleet, vehicleId)
  })
})
