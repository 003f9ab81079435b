import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { isTRPCClientError } from '@trpc/client'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app'
import { session } from './auth/session'
import { registerServiceWorker } from './pwa/register-service-worker'
import { TRPCProvider, trpcClient } from './trpc'
import './styles.css'

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    // A query the server refuses as UNAUTHORIZED means the session is gone: sign out.
    onError: (error) => {
      if (isUnauthorized(error)) session.clear()
    },
  }),
  defaultOptions: {
    queries: {
      retry: (failureCount, error) => {
        // The server may call a token expired that this clock thinks is valid (clock skew):
        // refresh and try once more before giving up on the session.
        if (isUnauthorized(error)) {
          if (failureCount === 0) session.expire()
          return failureCount === 0
        }
        return failureCount < 2 && !isClientError(error)
      },
    },
  },
})

// Nothing cached for one user may be shown to the next.
session.subscribe(() => {
  if (!session.get()) queryClient.clear()
})

function isUnauthorized(error: unknown): boolean {
  return isTRPCClientError(error) && error.data?.code === 'UNAUTHORIZED'
}

/** A 4xx answer won't change on retry; network failures and 5xx may. */
function isClientError(error: unknown): boolean {
  const status = isTRPCClientError(error) ? error.data?.httpStatus : undefined
  return typeof status === 'number' && status >= 400 && status < 500
}

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <App />
      </TRPCProvider>
    </QueryClientProvider>
  </StrictMode>,
)

if (import.meta.env.PROD) registerServiceWorker()
