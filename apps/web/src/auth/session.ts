import type { AppRouter } from '@fms/api'
import { transformer } from '@fms/api/transformer'
import { createTRPCClient, httpLink } from '@trpc/client'
import { useSyncExternalStore } from 'react'
import { TRPC_URL } from '../lib/urls'
import { createSessionStore, type TSessionTokens } from './session-store'

const STORAGE_KEY = 'fms.session'

/** Unauthenticated client for the refresh itself, so it never waits on its own token. */
const refreshClient = createTRPCClient<AppRouter>({
  links: [httpLink({ url: TRPC_URL, transformer })],
})

export const session = createSessionStore({
  storage: window.localStorage,
  storageKey: STORAGE_KEY,
  refresh: (refreshToken) => refreshClient.auth.refresh.mutate({ refreshToken }),
})

window.addEventListener('storage', (event) => {
  if (event.key === STORAGE_KEY || event.key === null) session.reload()
})

export function useSession(): TSessionTokens | null {
  return useSyncExternalStore(session.subscribe, session.get)
}
