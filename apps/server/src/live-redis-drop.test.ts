import { type Fleet, makePoints, postTelemetry, provisionFleet, subscribeLive } from '@fms/testkit'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { startTcpProxy } from './testing/tcp-proxy.ts'
import { waitUntil } from './testing/wait.ts'

// The live bus's Redis connection drops and comes back. Points committed meanwhile still
// reach subscribers afterwards (published from the client's offline queue, read from the stream
// position the node had reached), with no restart.
let proxy: Awaited<ReturnType<typeof startTcpProxy>>
let server: RunningServer
let fleet: Fleet
let subscriber: ReturnType<typeof subscribeLive>

beforeAll(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 6379 })
  server = await startTestServer({
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    INGEST_RATE_LIMIT: '0',
  })
  fleet = await provisionFleet(server.url, { vehicles: 2 })
  subscriber = subscribeLive(server.url, fleet.accessToken)
})
afterAll(async () => {
  await subscriber?.close()
  await server?.close()
  await proxy?.close()
})

async function post(deviceIndex: number) {
  await postTelemetry(server.url, {
    token: fleet.token.secret,
    body: makePoints(fleet.deviceIds[deviceIndex], 1),
  })
}

describe('live bus with the Redis connection dropped', () => {
  it('delivers what was committed during the drop once Redis is back', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500))
    await post(0)
    await waitUntil(() => subscriber.vehicleIds().has(fleet.vehicleIds[0]!), {
      timeoutMs: 5000,
      what: 'a point before the drop',
    })
    await proxy.cut()
    await post(1) // committed while the bus is unreachable
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await proxy.restore()
    await waitUntil(() => subscriber.vehicleIds().has(fleet.vehicleIds[1]!), {
      timeoutMs: 10_000,
      what: 'the point committed during the drop',
    })
  })
})
