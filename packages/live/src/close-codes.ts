/** Close codes of the live WebSocket (`/trpc`): the server sends them, the web client reacts. */
export const WS_CLOSE = {
  /** The access token expired: refresh it, then reconnect. */
  TOKEN_EXPIRED: 4001,
  /** No valid access token arrived in time after connecting. */
  UNAUTHENTICATED: 4002,
  /** The user was removed or their role changed: refresh (or sign in again), then reconnect. */
  SESSION_CHANGED: 4003,
  /** The share link the socket was opened with expired or was revoked: nothing more to show. */
  SHARE_ENDED: 4010,
  /** The socket could not keep up with the live stream. */
  TOO_SLOW: 4008,
} as const
