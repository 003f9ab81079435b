import { type Fleet, provisionFleet } from '@fms/testkit'
import { type Load, startLoad } from './load.ts'

/** Server settings for ingestion under load: `databaseUrl`, and no ingest rate limit. */
export function loadTestEnv(databaseUrl: string): Record<string, string> {
  return { DATABASE_URL: databaseUrl, INGEST_RATE_LIMIT: '0' }
}

/**
 * Four vehicles on the server at `serverUrl` and four clients posting 50-point batches of theirs,
 * each retrying a refused batch (after its Retry-After, 250 ms at most) until it is stored.
 */
export async function startFleetLoad(serverUrl: string): Promise<{ fleet: Fleet; load: Load }> {
  const fleet = await provisionFleet(serverUrl, { vehicles: 4 })
  const load = startLoad({
    url: serverUrl,
    token: fleet.token.secret,
    deviceIds: fleet.deviceIds,
    clients: 4,
    batchSize: 50,
    maxRetryDelayMs: 250,
  })
  return { fleet, load }
}

/** The status `url` answers with, waiting 5 s at most. */
export async function statusOf(url: string): Promise<number> {
  return (await fetch(url, { signal: AbortSignal.timeout(5000) })).status
}
