import { type ApiClient, createApiClient as createClient, readErrorCode } from '@fms/api/client'

export type { ApiClient }
export { readErrorCode }

/** A typed tRPC client over HTTP to a running server, signed in when given an access token. */
export function createApiClient(url: string, accessToken?: string): ApiClient {
  return createClient(url, { accessToken })
}
