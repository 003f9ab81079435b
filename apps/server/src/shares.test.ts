import { WS_CLOSE } from '@fms/api/schemas'
import { eq } from '@fms/db'
import { shares } from '@fms/db/schema'
import { type Fleet, postPoints, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

// A share link over the real server: HTTP calls and a live WebSocket with the link's token reach
// the link's vehicles only, and stop within seconds of its expiry or revocation.
let server: RunningServer
let fleet: Fleet
const sockets: WebSocket[] = []

beforeAll(async () => {
  server = await startTestServer({ WS_SESSION_CHECK_SEC: '0.5' })
  fleet = await provisionFleet(server.url, { vehicles: 2 })
})

afterAll(async () => {
  for (const socket of sockets) socket.terminate()
  await server?.close()
})

const inAnHour = () => new Date(Date.now() + 3_600_000)

interface Message {
  id?: number
  result?: {
    type?: string
    data?: { json?: { id?: string; data?: { positions?: { vehicleId: string }[] } } }
  }
  error?: { json?: { data?: { code?: string } } }
}

/** A raw tRPC WebSocket client signed in with `token` (a share link's, here). */
async function openSocket(token: string) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc?connectionParams=1`)
  sockets.push(socket)
  const messages: Message[] = []
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())))
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
  let closeCode: number | null = null
  void closed.then((code) => {
    closeCode = code
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.once('open', () => resolve())
  })
  socket.send(JSON.stringify({ method: 'connectionParams', data: { token } }))
  return {
    messages,
    closed,
    closeCode: () => closeCode,
    subscribe(id: number, path: string) {
      socket.send(
        JSON.stringify({ id, method: 'subscription', params: { path, input: { json: {} } } }),
      )
    },
  }
}

/** An HTTP query with a bearer token: status and tRPC error code. */
async function query(path: string, token: string, input: unknown = {}) {
  const encoded = encodeURIComponent(JSON.stringify({ json: input }))
  const response = await fetch(`${server.url}/trpc/${path}?input=${encoded}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  const body = (await response.json()) as { error?: { json?: { data?: { code?: string } } } }
  return { status: response.status, code: body.error?.json?.data?.code, body }
}

function positionsOf(messages: Message[], id: number) {
  return messages
    .filter((m) => m.id === id && m.result?.type === 'data')
    .flatMap((m) => m.result?.data?.json?.data?.positions ?? [])
}

function point(deviceId: string, lat: number) {
  return {
    device_id: deviceId,
    time: new Date().toISOString(),
    lat,
    lon: 13.4,
    speed: 30,
    rpm: 2500,
  }
}

async function createLink(vehicleIds: string[]) {
  return fleet.api.shares.create.mutate({ vehicleIds, expiresAt: inAnHour() })
}

describe('a share link over HTTP', () => {
  it('views its vehicle and is refused by every other procedure', async () => {
    const [shared, other] = fleet.vehicles
    const link = await createLink([shared!.id])
    const view = await query('shared.view', link.token)
    expect(view.status).toBe(200)
    expect(JSON.stringify(view.body)).toContain(shared!.id)
    expect(JSON.stringify(view.body)).not.toContain(other!.id)
    for (const path of [
      'vehicles.list',
      'telemetry.latest',
      'shares.list',
      'settings.get',
      'auth.me',
    ]) {
      expect(await query(path, link.token), path).toMatchObject({
        status: 401,
        code: 'UNAUTHORIZED',
      })
    }
    const history = await query('telemetry.history', link.token, {
      vehicleId: other!.id,
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date().toISOString(),
    })
    expect(history).toMatchObject({ status: 401 })
  })

  it('is refused right after revocation', async () => {
    const link = await createLink([fleet.vehicle.id])
    expect((await query('shared.view', link.token)).status).toBe(200)
    await fleet.api.shares.revoke.mutate({ id: link.id })
    expect(await query('shared.view', link.token)).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    })
  })
})

describe('a share link over the WebSocket', () => {
  it("streams its vehicle's positions and never another vehicle's", async () => {
    const [shared, other] = fleet.vehicles
    const link = await createLink([shared!.id])
    const live = await openSocket(link.token)
    live.subscribe(1, 'shared.live')
    await waitUntil(() => live.messages.some((m) => m.id === 1 && m.result?.type === 'started'), {
      timeoutMs: 5000,
      what: 'the share subscription',
    })
    await waitUntil(
      async () => {
        await postPoints(server.url, fleet.token.secret, [
          point(other!.deviceId, 48),
          point(shared!.deviceId, 52),
        ])
        return positionsOf(live.messages, 1).length > 0
      },
      { timeoutMs: 10_000, intervalMs: 300, what: 'a shared position' },
    )
    const seen = new Set(positionsOf(live.messages, 1).map((p) => p.vehicleId))
    expect([...seen]).toEqual([shared!.id])
    expect(JSON.stringify(live.messages)).not.toContain('rpm')
  })

  it('refuses telemetry.live on a share socket', async () => {
    const link = await createLink([fleet.vehicle.id])
    const live = await openSocket(link.token)
    live.subscribe(2, 'telemetry.live')
    await waitUntil(() => live.messages.some((m) => m.id === 2 && m.error), {
      timeoutMs: 5000,
      what: 'the refusal',
    })
    expect(live.messages.find((m) => m.id === 2)?.error?.json?.data?.code).toBe('UNAUTHORIZED')
  })

  it('closes an open live view within seconds of revocation', async () => {
    const link = await createLink([fleet.vehicle.id])
    const live = await openSocket(link.token)
    live.subscribe(1, 'shared.live')
    await waitUntil(() => live.messages.some((m) => m.id === 1 && m.result?.type === 'started'), {
      timeoutMs: 5000,
      what: 'the share subscription',
    })
    await fleet.api.shares.revoke.mutate({ id: link.id })
    await waitUntil(() => live.closeCode() !== null, {
      timeoutMs: 5000,
      what: 'the socket to close',
    })
    expect(await live.closed).toBe(WS_CLOSE.SHARE_ENDED)
  })

  it('closes an open live view when the link expires', async () => {
    const link = await createLink([fleet.vehicle.id])
    const live = await openSocket(link.token)
    live.subscribe(1, 'shared.live')
    await waitUntil(() => live.messages.some((m) => m.id === 1 && m.result?.type === 'started'), {
      timeoutMs: 5000,
      what: 'the share subscription',
    })
    // Expiry moved to now behind the server's back: the session check finds it ended.
    await server.db.db.update(shares).set({ expiresAt: new Date() }).where(eq(shares.id, link.id))
    await waitUntil(() => live.closeCode() !== null, {
      timeoutMs: 5000,
      what: 'the socket to close',
    })
    expect(await live.closed).toBe(WS_CLOSE.SHARE_ENDED)
  })

  it('closes a socket opened with an ended link', async () => {
    const link = await createLink([fleet.vehicle.id])
    await fleet.api.shares.revoke.mutate({ id: link.id })
    const live = await openSocket(link.token)
    expect(await live.closed).toBe(WS_CLOSE.SHARE_ENDED)
  })
})
