import { randomUUID } from 'node:crypto'
import { WS_CLOSE } from '@fms/api/schemas'
import {
  createApiClient,
  type Fleet,
  postPoints,
  provisionFleet,
  requireSignedIn,
  subscribeLive,
} from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

// Group scoping on the live path, over the real server: a user limited to a vehicle group gets
// frames of that group's vehicles only, and a change of their groups ends their open socket
// within seconds (the client reconnects into the new set).
let server: RunningServer
let fleet: Fleet
let groupA = ''
let groupB = ''

beforeAll(async () => {
  server = await startTestServer({ WS_SESSION_CHECK_SEC: '0.5' })
  fleet = await provisionFleet(server.url, { vehicles: 2 })
  const [a, b] = fleet.vehicleIds as [string, string]
  groupA = (await fleet.api.groups.create.mutate({ name: 'Depot A', vehicleIds: [a] })).id
  groupB = (await fleet.api.groups.create.mutate({ name: 'Depot B', vehicleIds: [b] })).id
})
afterAll(() => server?.close())

async function signInLimitedUser(groupIds: string[]) {
  const email = `groups-${randomUUID()}@example.com`
  const user = await fleet.api.users.create.mutate({
    email,
    password: 'correct horse battery',
    role: 'user',
    groupIds,
  })
  const session = requireSignedIn(
    await createApiClient(server.url).auth.login.mutate({
      email,
      password: 'correct horse battery',
    }),
  )
  return { id: user.id, accessToken: session.accessToken }
}

/** One point for each vehicle of the fleet, `seq` seconds into a drive. */
function postBoth(seq: number) {
  const time = new Date(Date.now() - 120_000 + seq * 100).toISOString()
  return postPoints(
    server.url,
    fleet.token.secret,
    fleet.deviceIds.map((deviceId, i) => ({ device_id: deviceId, time, lat: 52 + i, lon: 13 })),
  )
}

describe('live telemetry of a group-limited user', () => {
  it('carries only the vehicles of the user’s groups, while the admin gets both', async () => {
    const [a, b] = fleet.vehicleIds as [string, string]
    const user = await signInLimitedUser([groupA])
    const limited = subscribeLive(server.url, user.accessToken)
    const admin = subscribeLive(server.url, fleet.accessToken)
    try {
      let seq = 0
      await waitUntil(
        async () => {
          expect(await postBoth(++seq)).toBe(200)
          return limited.vehicleIds().has(a) && admin.vehicleIds().has(b)
        },
        { timeoutMs: 10_000, what: 'frames for both subscribers' },
      )
      expect(admin.vehicleIds()).toEqual(new Set([a, b]))
      expect(limited.vehicleIds()).toEqual(new Set([a]))
      expect(limited.errors).toEqual([])
    } finally {
      await limited.close()
      await admin.close()
    }
  })

  it('refuses a subscription naming another group’s vehicle as NOT_FOUND', async () => {
    const [, b] = fleet.vehicleIds as [string, string]
    const user = await signInLimitedUser([groupA])
    const limited = subscribeLive(server.url, user.accessToken, { vehicleIds: [b] })
    try {
      await waitUntil(() => limited.errors.length > 0, { timeoutMs: 5000, what: 'the refusal' })
      expect(limited.errors[0]?.code).toBe('NOT_FOUND')
      expect(limited.frames).toEqual([])
    } finally {
      await limited.close()
    }
  })

  it('ends an open socket within seconds of the user’s groups changing; the next one has the new set', async () => {
    const [a, b] = fleet.vehicleIds as [string, string]
    const user = await signInLimitedUser([groupA])
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/trpc?connectionParams=1`)
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
    const messages: { id?: number; result?: { type?: string } }[] = []
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())))
    await new Promise((resolve) => socket.once('open', resolve))
    socket.send(JSON.stringify({ method: 'connectionParams', data: { token: user.accessToken } }))
    socket.send(
      JSON.stringify({
        id: 1,
        method: 'subscription',
        params: { path: 'telemetry.live', input: { json: {} } },
      }),
    )
    await waitUntil(() => messages.some((m) => m.id === 1 && m.result?.type === 'started'), {
      timeoutMs: 3000,
      what: 'the subscription',
    })
    await fleet.api.users.update.mutate({ id: user.id, groupIds: [groupB] })
    expect(await closed).toBe(WS_CLOSE.SESSION_CHANGED)

    const again = subscribeLive(server.url, user.accessToken)
    try {
      let seq = 100
      await waitUntil(
        async () => {
          expect(await postBoth(++seq)).toBe(200)
          return again.vehicleIds().has(b)
        },
        { timeoutMs: 10_000, what: 'frames of the new group' },
      )
      expect(again.vehicleIds()).toEqual(new Set([b]))
      expect(again.vehicleIds().has(a)).toBe(false)
    } finally {
      await again.close()
    }
  })
})
