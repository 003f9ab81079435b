import { createTestDb } from '@fms/db/testing'
import { type Fleet, makePoints, postTelemetry, provisionFleet, subscribeLive } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'
import { waitUntil } from './testing/wait.ts'

// Two server processes behind one PostgreSQL and the real Redis: a point ingested on one node
// reaches subscribers on the other, and a client that loses its node resumes on another.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
let scratch: Awaited<ReturnType<typeof createTestDb>>
const nodes: SpawnedServer[] = []
let fleet: Fleet
const open: { close(): Promise<void> }[] = []

async function startNode(): Promise<SpawnedServer> {
  const node = await spawnServer({
    DATABASE_URL: scratch.url!,
    REDIS_URL,
    INGEST_RATE_LIMIT: '0',
  })
  nodes.push(node)
  return node
}

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  await startNode()
  await startNode()
  fleet = await provisionFleet(nodes[0]!.url, { vehicles: 3 })
}, 60_000)

afterAll(async () => {
  await Promise.all(open.map((s) => s.close().catch(() => {})))
  for (const node of nodes) node.child.kill('SIGKILL')
  await Promise.all(nodes.map((n) => n.exited))
  await scratch?.close()
})

function subscribe(url: string, input: { lastEventId?: string } = {}) {
  const subscriber = subscribeLive(url, fleet.accessToken, input)
  open.push(subscriber)
  return subscriber
}

async function post(url: string, deviceIndex: number) {
  const answer = await postTelemetry(url, {
    token: fleet.token.secret,
    body: makePoints(fleet.deviceIds[deviceIndex], 1),
  })
  expect(answer.status).toBe(200)
}

describe('live updates across server nodes (Redis)', () => {
  it('delivers a point ingested on one node to a subscriber on the other', async () => {
    const [a, b] = nodes
    const onB = subscribe(b!.url)
    await new Promise((resolve) => setTimeout(resolve, 500))
    await post(a!.url, 0)
    await waitUntil(() => onB.vehicleIds().has(fleet.vehicleIds[0]!), {
      timeoutMs: 5000,
      what: 'the point on the other node',
    })
  })

  it('resumes on another node after its node is killed, missing nothing', async () => {
    const doomed = await startNode()
    const [a] = nodes
    const before = subscribe(doomed.url)
    await new Promise((resolve) => setTimeout(resolve, 500))
    await post(a!.url, 1)
    await waitUntil(() => before.frames.length > 0, { timeoutMs: 5000, what: 'a first frame' })
    const lastEventId = before.frames.at(-1)!.id
    doomed.child.kill('SIGKILL')
    await doomed.exited
    await post(a!.url, 2) // while the client has no node
    const after = subscribe(a!.url, { lastEventId })
    await waitUntil(() => after.vehicleIds().has(fleet.vehicleIds[2]!), {
      timeoutMs: 5000,
      what: 'the missed point after resuming',
    })
    expect(after.vehicleIds().has(fleet.vehicleIds[1]!)).toBe(false)
  })
})
