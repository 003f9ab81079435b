import { z } from 'zod'
import type { RouterOutputs } from '../trpc'

/** Refresh this long before the access token expires, so a call never carries a dying token. */
export const REFRESH_MARGIN_MS = 60_000

export type TSessionTokens = Pick<
  RouterOutputs['auth']['refresh'],
  'accessToken' | 'refreshToken' | 'accessTokenExpiresAt'
>

const ZStoredSession = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  accessTokenExpiresAt: z.coerce.date(),
})

export type TSessionStoreOptions = {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
  storageKey: string
  refresh: (refreshToken: string) => Promise<TSessionTokens>
  now?: () => number
}

export type TSessionStore = ReturnType<typeof createSessionStore>

/**
 * Holds the signed-in user's tokens in storage and hands out a fresh access token:
 * near expiry it calls `refresh` once (concurrent callers share that call); if the
 * refresh fails the session is cleared, which signs the user out.
 */
export function createSessionStore({
  storage,
  storageKey,
  refresh,
  now = Date.now,
}: TSessionStoreOptions) {
  const listeners = new Set<() => void>()
  let current = readStored()
  let refreshing: Promise<string | null> | null = null

  function readStored(): TSessionTokens | null {
    const raw = storage.getItem(storageKey)
    if (raw === null) return null
    try {
      const parsed = ZStoredSession.safeParse(JSON.parse(raw))
      return parsed.success ? parsed.data : null
    } catch {
      return null
    }
  }

  function update(next: TSessionTokens | null) {
    current = next
    if (next) storage.setItem(storageKey, JSON.stringify(next))
    else storage.removeItem(storageKey)
    for (const listener of listeners) listener()
  }

  async function refreshOnce(refreshToken: string): Promise<string | null> {
    try {
      const next = await refresh(refreshToken)
      // Signed out (or signed in anew) while the refresh was in flight: keep that state.
      if (current?.refreshToken !== refreshToken) return current?.accessToken ?? null
      update(pickTokens(next))
      return next.accessToken
    } catch {
      if (current?.refreshToken === refreshToken) update(null)
      return null
    }
  }

  return {
    get: (): TSessionTokens | null => current,
    set: (tokens: TSessionTokens) => update(pickTokens(tokens)),
    clear: () => update(null),
    /**
     * The server refused the access token as expired (e.g. a WebSocket closed with 4001 while
     * this clock thinks it is still valid): the next `getAccessToken` refreshes it.
     */
    expire() {
      if (current) update({ ...current, accessTokenExpiresAt: new Date(0) })
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    /** Re-reads storage, e.g. after another tab signed in, refreshed or signed out. */
    reload() {
      const stored = readStored()
      if (stored?.accessToken === current?.accessToken) return
      current = stored
      for (const listener of listeners) listener()
    },
    /** The access token to send now, refreshed first if it expires within the margin. */
    async getAccessToken(): Promise<string | null> {
      if (!current) return null
      if (current.accessTokenExpiresAt.getTime() - now() > REFRESH_MARGIN_MS) {
        return current.accessToken
      }
      refreshing ??= refreshOnce(current.refreshToken).finally(() => {
        refreshing = null
      })
      return refreshing
    },
  }
}

function pickTokens({ accessToken, refreshToken, accessTokenExpiresAt }: TSessionTokens) {
  return { accessToken, refreshToken, accessTokenExpiresAt }
}
