import { createHash } from 'node:crypto'
import * as oidc from 'openid-client'
import { guardedFetch, SsoAddressError } from './sso-fetch.ts'

/** Seconds any request to a provider (discovery, token, keys) may take before it is abandoned. */
export const SSO_HTTP_TIMEOUT_SEC = 10
/** How long a discovered provider is reused by this process, and how many are kept. */
const DISCOVERY_TTL_MS = 5 * 60_000
const DISCOVERY_CACHE_MAX = 200

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Why an issuer URL is not acceptable, or null: https only, except plain http to this machine's
 * loopback (a provider on the same host, and tests). The same rule in every environment.
 */
export function issuerProblem(issuer: string): string | null {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    return 'The issuer must be a URL'
  }
  if (url.username || url.password) return 'The issuer URL may not carry a user or password'
  if (url.search || url.hash) return 'The issuer URL may not have a query or fragment'
  if (url.protocol === 'https:') return null
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null
  return 'The issuer must use https (plain http only for localhost)'
}

export interface ProviderClient {
  issuer: string
  clientId: string
  clientSecret: string
  /**
   * The provider and its endpoints may be on loopback, private and other non-public addresses,
   * over plain http too (`SSO_ALLOW_PRIVATE_ISSUERS`: a provider inside the network, and tests).
   * Default false: public addresses over https only.
   */
  allowPrivateIssuers?: boolean | undefined
}

const cache = new Map<string, { config: oidc.Configuration; expiresAt: number }>()

function cacheKey(client: ProviderClient): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        client.issuer,
        client.clientId,
        client.clientSecret,
        client.allowPrivateIssuers === true,
      ]),
    )
    .digest('hex')
}

/**
 * The provider's metadata (OpenID discovery) with this client's credentials, reused for a few
 * minutes per process. Every request it makes, now and later (token, UserInfo, keys), goes through
 * `guardedFetch`: public addresses over https only unless `allowPrivateIssuers`, no redirects,
 * bounded by `SSO_HTTP_TIMEOUT_SEC`. ID tokens from the token endpoint have their signature checked
 * against the provider's JWKS (`enableNonRepudiationChecks`; openid-client 6 skips it otherwise).
 * Throws when discovery fails, the issuer is not acceptable, or an endpoint is not https.
 */
export async function discoverProvider(client: ProviderClient): Promise<oidc.Configuration> {
  const problem = issuerProblem(client.issuer)
  if (problem) throw new Error(problem)
  const key = cacheKey(client)
  const cached = cache.get(key)
  if (cached && cached.expiresAt > Date.now()) return cached.config
  const allowPrivate = client.allowPrivateIssuers === true
  const isPlainHttp = new URL(client.issuer).protocol === 'http:'
  if (isPlainHttp && !allowPrivate) {
    throw new SsoAddressError(
      'Plain http reaches only this machine: identity providers must be public',
    )
  }
  const config = await oidc.discovery(
    new URL(client.issuer),
    client.clientId,
    client.clientSecret,
    oidc.ClientSecretBasic(client.clientSecret),
    {
      timeout: SSO_HTTP_TIMEOUT_SEC,
      [oidc.customFetch]: guardedFetch(allowPrivate),
      execute: [
        oidc.enableNonRepudiationChecks,
        ...(isPlainHttp && allowPrivate ? [oidc.allowInsecureRequests] : []),
      ],
    },
  )
  config.timeout = SSO_HTTP_TIMEOUT_SEC
  const metadata = config.serverMetadata()
  if (!metadata.jwks_uri) throw new Error('The provider publishes no jwks_uri')
  if (!allowPrivate) {
    for (const endpoint of [
      metadata.token_endpoint,
      metadata.userinfo_endpoint,
      metadata.jwks_uri,
    ]) {
      if (endpoint !== undefined && !endpoint.startsWith('https://')) {
        throw new SsoAddressError("The provider's token, UserInfo and key endpoints must use https")
      }
    }
  }
  cache.delete(key)
  if (cache.size >= DISCOVERY_CACHE_MAX) {
    const oldest = cache.keys().next().value
    if (oldest !== undefined) cache.delete(oldest)
  }
  cache.set(key, { config, expiresAt: Date.now() + DISCOVERY_TTL_MS })
  return config
}

/** Forgets what this process discovered (tests that restart a provider on the same address). */
export function clearProviderCache(): void {
  cache.clear()
}

export { oidc, SsoAddressError }
