import type { wsClient } from '../trpc'

export type TConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'idle'

type TSocketState = ReturnType<typeof wsClient.connectionState.get>

/**
 * What the indicator says for the WebSocket client's state: live once the socket is open,
 * reconnecting when it was lost (tRPC attaches the error), connecting on the first attempt.
 */
export function toConnectionStatus(state: {
  state: TSocketState['state']
  error: unknown
}): TConnectionStatus {
  if (state.state === 'pending') return 'live'
  if (state.state === 'idle') return 'idle'
  return state.error ? 'reconnecting' : 'connecting'
}
