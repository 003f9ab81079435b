import { eq } from '@fms/db'
import { deviceCommands } from '@fms/db/schema'
import { createTestDb } from '@fms/db/testing'
import { type Fleet, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server.ts'
import { startTestServer } from '../testing/server.ts'

// Two server nodes on one PostgreSQL, as behind a load balancer.
let scratch: Awaited<ReturnType<typeof createTestDb>>
const nodes: RunningServer[] = []
let fleet: Fleet
let deviceId: string
const EXTERNAL_ID = 'trk-1'
let step = 0

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  for (let i = 0; i < 2; i++) {
    nodes.push(await startTestServer({ DATABASE_URL: scratch.url ?? '', INGEST_RATE_LIMIT: '0' }))
  }
  fleet = await provisionFleet(nodes[0]!.url)
  deviceId = fleet.deviceIds[0]!
  await fleet.api.devices.update.mutate({ id: deviceId, externalId: EXTERNAL_ID })
}, 120_000)
afterAll(async () => {
  for (const node of nodes) await node.close()
  await scratch?.close()
})

/** One OsmAnd report to node `index` (a new time each), with extra parameters; the answer's body. */
async function report(index: number, extra: Record<string, string> = {}): Promise<string> {
  const params = new URLSearchParams({
    id: EXTERNAL_ID,
    lat: '52.5',
    lon: '13.4',
    timestamp: String(Date.now() - 60_000 + ++step),
    ...extra,
  })
  const res = await fetch(`${nodes[index]!.url}/osmand/${fleet.token.secret}?${params}`, {
    method: 'POST',
  })
  expect(res.status).toBe(200)
  return res.text()
}

async function statusOf(id: string) {
  const [row] = await scratch.db.select().from(deviceCommands).where(eq(deviceCommands.id, id))
  return row
}

describe('delivering commands over OsmAnd', () => {
  it('never hands the same command out twice, however many reports reach both nodes at once', async () => {
    const queued = []
    for (let i = 0; i < 20; i++) {
      queued.push(
        await fleet.api.commands.send.mutate({
          deviceId,
          type: 'custom',
          payload: { text: `${i}` },
        }),
      )
    }
    const bodies = await Promise.all(Array.from({ length: 60 }, (_, i) => report(i % 2)))
    const delivered = bodies.filter(Boolean).map((body) => JSON.parse(body).id as string)
    expect(delivered).toHaveLength(20)
    expect(new Set(delivered).size).toBe(20)
    expect(new Set(delivered)).toEqual(new Set(queued.map((c) => c.id)))
    for (const command of queued) expect((await statusOf(command.id))?.status).toBe('sent')
  })

  it('records the answer: ack acknowledges, ackError fails, an unknown or repeated ack changes nothing', async () => {
    const ok = await fleet.api.commands.send.mutate({
      deviceId,
      type: 'custom',
      payload: { text: 'ok' },
    })
    const bad = await fleet.api.commands.send.mutate({
      deviceId,
      type: 'setReportInterval',
      payload: { seconds: 5 },
    })
    expect(JSON.parse(await report(0))).toEqual({
      id: ok.id,
      type: 'custom',
      payload: { text: 'ok' },
    })
    expect(JSON.parse(await report(1, { ack: ok.id, ackResult: 'done' })).id).toBe(bad.id)
    expect(await statusOf(ok.id)).toMatchObject({ status: 'acknowledged', result: 'done' })
    await report(0, { ack: bad.id, ackError: 'not supported' })
    expect(await statusOf(bad.id)).toMatchObject({ status: 'failed', result: 'not supported' })
    await report(1, { ack: bad.id })
    expect(await statusOf(bad.id)).toMatchObject({ status: 'failed' })
    await report(0, { ack: 'not-a-command' })
  })

  it('never sends a command whose time has passed, and lists it as expired', async () => {
    const command = await fleet.api.commands.send.mutate({
      deviceId,
      type: 'custom',
      payload: { text: 'too late' },
    })
    // Its time passes (set in the database, so no timer is involved): delivery checks it.
    await scratch.db
      .update(deviceCommands)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(deviceCommands.id, command.id))
    expect(await report(0)).toBe('')
    expect(await report(1)).toBe('')
    const { items } = await fleet.api.commands.list.query({ deviceId, status: 'expired' })
    expect(items.map((c) => c.id)).toEqual([command.id])
    expect((await statusOf(command.id))?.sentAt).toBeNull()
  })

  it('never sends a cancelled command', async () => {
    const command = await fleet.api.commands.send.mutate({
      deviceId,
      type: 'custom',
      payload: { text: 'cancel me' },
    })
    await fleet.api.commands.cancel.mutate({ id: command.id })
    expect(await report(1)).toBe('')
    expect(await statusOf(command.id)).toMatchObject({ status: 'cancelled', sentAt: null })
  })
})
