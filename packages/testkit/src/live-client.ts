import type { AppRouter, LiveAlert, LiveFrame, LiveNotification } from '@fms/api'
import { readLiveFramePoints } from '@fms/api/schemas'
import { transformer } from '@fms/api/transformer'
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client'
import WebSocket from 'ws'

export interface ReceivedFrame {
  id: string
  frame: LiveFrame
  receivedAt: number
}

/**
 * A `telemetry.live` subscriber over a real WebSocket with the typed tRPC client, collecting
 * every frame it receives (compact frames decoded to points) and counting the bytes it received.
 */
export function subscribeLive(
  url: string,
  token: string | null,
  input: {
    vehicleIds?: string[]
    bbox?: [number, number, number, number]
    lastEventId?: string
    format?: 'points' | 'compact'
  } = {},
) {
  const frames: ReceivedFrame[] = []
  const errors: { code: string | undefined; message: string }[] = []
  const received = { bytes: 0, messages: 0 }
  const keys = new Map<number, { vehicleId: string | null; deviceId: string }>()
  /** Counts every message's bytes as they came off the socket. */
  class CountingWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols)
      this.on('message', (data: Buffer) => {
        received.bytes += data.length
        received.messages += 1
      })
    }
  }
  const client = createWSClient({
    url: `${url.replace('http', 'ws')}/trpc`,
    WebSocket: CountingWebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: token ? { token } : null,
  })
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer })] })
  const subscription = trpc.telemetry.live.subscribe(input, {
    onData: (data) => {
      const frame = { points: readLiveFramePoints(data.data, keys), reset: data.data.reset }
      frames.push({ id: data.id, frame, receivedAt: Date.now() })
    },
    onError: (error) => errors.push({ code: error.data?.code, message: error.message }),
  })
  return {
    frames,
    errors,
    /** Bytes and messages received on the socket so far (every message, frames and others). */
    received,
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
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer })] })
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

/** A `notifications.live` subscriber over a real WebSocket, collecting what it receives. */
export function subscribeNotifications(
  url: string,
  token: string,
  input: { lastEventId?: string } = {},
) {
  const notifications: { id: string; notification: LiveNotification }[] = []
  const errors: { code: string | undefined; message: string }[] = []
  const client = createWSClient({
    url: `${url.replace('http', 'ws')}/trpc`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { token },
  })
  const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client, transformer })] })
  const subscription = trpc.notifications.live.subscribe(input, {
    onData: (data) => notifications.push({ id: data.id, notification: data.data }),
    onError: (error) => errors.push({ code: error.data?.code, message: error.message }),
  })
  return {
    notifications,
    errors,
    async close() {
      subscription.unsubscribe()
      await client.close()
    },
  }
}
