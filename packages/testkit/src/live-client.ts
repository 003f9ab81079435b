import type { AppRouter, LiveAlert, LiveFrame } from '@fms/api'
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client'
import superjson from 'superjson'
import WebSocket from 'ws'

export interface ReceivedFrame {
  id: string
  frame: LiveFrame
  receivedAt: number
}

/**
 * A `telemetry.live` subscriber over a real WebSocket with the typed tRPC client, collecting
 * every frame it receives.
 */
export function subscribeLive(
  url: string,
  token: string | null,
  input: { vehicleIds?: string[]; lastEventId?: string } = {},
) {
  const frames: ReceivedFrame[] = []
  const errors: { code: string | undefined; message: string }[] = []
  const client = createWSClient({
    url: `${url.replace('http', 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: token ? { token } : null,
  })
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer: superjson })] })
  const subscription = trpc.telemetry.live.subscribe(input, {
    onData: (data) => frames.push({ id: data.id, frame: data.data, receivedAt: Date.now() }),
    onError: (error) => errors.push({ code: error.data?.code, message: error.message }),
  })
  return {
    frames,
    errors,
    /** The vehicle ids seen in all frames so far. */
    vehicleIds: () => new Set(frames.flatMap((f) => f.frame.points.map((p) => p.vehicleId))),
    async close() {
      subscription.unsubscribe()
      await client.close()
    },
  }
}

/** An `alerts.live` subscriber over a real WebSocket, collecting every alert version it receives. */
export function subscribeAlerts(url: string, token: string, input: { lastEventId?: string } = {}) {
  const alerts: { id: string; alert: LiveAlert }[] = []
  const errors: { code: string | undefined; message: string }[] = []
  const client = createWSClient({
    url: `${url.replace('http', 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { token },
  })
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer: superjson })] })
  const subscription = trpc.alerts.live.subscribe(input, {
    onData: (data) => alerts.push({ id: data.id, alert: data.data }),
    onError: (error) => errors.push({ code: error.data?.code, message: error.message }),
  })
  return {
    alerts,
    errors,
    async close() {
      subscription.unsubscribe()
      await client.close()
    },
  }
}
