import { openSecret, sealSecret } from '@fms/auth'
import { uniqueViolation } from '@fms/db'
import {
  deleteSsoConfig,
  findSsoConfig,
  revokeOrgSsoSessions,
  saveSsoConfig,
} from '@fms/db/queries/sso'
import type { ApiDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TUpdateSsoInput } from '../schemas/index.ts'
import { assertDomainsProvable, normalizeDomain } from './sso-domains.ts'
import { discoverProvider, issuerProblem, SsoAddressError } from './sso-oidc.ts'

export type SsoDeps = Pick<
  ApiDeps,
  'db' | 'ssoKey' | 'publicUrl' | 'ssoTrustedDomains' | 'ssoAllowPrivateIssuers'
>

/** The path of the callback every provider is told to send users back to. */
export const SSO_CALLBACK_PATH = '/api/sso/callback'

export function requireSsoKey(deps: Pick<ApiDeps, 'ssoKey'>): Buffer {
  if (!deps.ssoKey) {
    throw new AppError('PRECONDITION_FAILED', 'Single sign-on is not set up on this server')
  }
  return deps.ssoKey
}

/** The stored client secret, or undefined when it can't be opened (sealed under another key). */
export function openStoredSecret(key: Buffer, sealed: string): string | undefined {
  try {
    return openSecret(key, sealed)
  } catch {
    return undefined
  }
}

/** The redirect URI to register at the provider, when the server knows its public address. */
export function ssoRedirectUri(publicUrl: string | undefined): string | null {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${SSO_CALLBACK_PATH}` : null
}

/** The organization's settings as admins see them: never the secret, only whether one is set. */
export async function describeSso(deps: SsoDeps, orgId: string) {
  const config = await findSsoConfig(deps.db, orgId)
  const redirectUri = ssoRedirectUri(deps.publicUrl)
  if (!config) return { isConfigured: false as const, redirectUri }
  return {
    isConfigured: true as const,
    redirectUri,
    issuer: config.issuer,
    clientId: config.clientId,
    hasClientSecret: config.clientSecretSealed.length > 0,
    domains: config.domains,
    defaultRole: config.defaultRole,
    isEnabled: config.isEnabled,
    updatedAt: config.updatedAt,
  }
}

/**
 * Saves the settings after checking the provider answers OpenID discovery at the issuer (bounded
 * by the client's timeout, public addresses only unless the server allows private ones). Without
 * a new secret the stored one is kept; a first save needs one, and so does a change of issuer or
 * client id (the old secret is never sent to another provider). Each domain must be one the
 * organization already holds, one the operator trusts, or the acting admin's own verified email
 * domain (no public mail provider): FORBIDDEN otherwise. Another organization's domain is a
 * CONFLICT.
 */
export async function updateSso(
  deps: SsoDeps,
  actor: { orgId: string; userId: string },
  input: TUpdateSsoInput,
) {
  const { orgId } = actor
  const key = requireSsoKey(deps)
  const issuer = input.issuer.replace(/\/+$/, '')
  const problem = issuerProblem(issuer)
  if (problem) throw new AppError('BAD_REQUEST', problem, { fieldErrors: { issuer: [problem] } })
  const domains = [...new Set(input.domains.map(normalizeDomain))]
  const existing = await findSsoConfig(deps.db, orgId)
  await assertDomainsProvable(deps, actor, domains, existing?.domains ?? [])
  let clientSecret = input.clientSecret
  const isSameClient = existing?.issuer === issuer && existing.clientId === input.clientId
  if (clientSecret === undefined && existing && isSameClient) {
    // Unreadable when JWT_SECRET changed since: then the secret must be entered again.
    clientSecret = openStoredSecret(key, existing.clientSecretSealed)
  }
  if (clientSecret === undefined) {
    const message =
      existing && !isSameClient
        ? 'Enter the client secret again: the issuer or client id changed'
        : 'Enter the client secret'
    throw new AppError('BAD_REQUEST', message, { fieldErrors: { clientSecret: [message] } })
  }
  try {
    await discoverProvider({
      issuer,
      clientId: input.clientId,
      clientSecret,
      allowPrivateIssuers: deps.ssoAllowPrivateIssuers,
    })
  } catch (error) {
    const refused = addressErrorIn(error)
    const message = refused
      ? `The issuer is refused: ${refused.message}`
      : 'The issuer does not answer OpenID discovery; check the URL'
    throw new AppError('BAD_REQUEST', message, { fieldErrors: { issuer: [message] }, cause: error })
  }
  try {
    await saveSsoConfig(deps.db, {
      orgId,
      issuer,
      clientId: input.clientId,
      clientSecretSealed: sealSecret(key, clientSecret),
      defaultRole: input.defaultRole,
      isEnabled: input.isEnabled,
      domains,
    })
  } catch (error) {
    if (uniqueViolation(error) !== 'sso_domains_pkey') throw error
    const message = 'One of these domains already signs in through another organization'
    throw new AppError('CONFLICT', message, { fieldErrors: { domains: [message] } })
  }
  // Sessions single sign-on made end with it: turned off, or trusting another provider now.
  if (existing && (existing.issuer !== issuer || !input.isEnabled)) {
    await revokeOrgSsoSessions(deps.db, orgId)
  }
  return describeSso(deps, orgId)
}

/** The SSRF guard's refusal in an error's cause chain (openid-client wraps what fetch throws). */
function addressErrorIn(error: unknown): SsoAddressError | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof SsoAddressError) return e
  }
  return null
}

export async function removeSso(deps: Pick<ApiDeps, 'db'>, orgId: string) {
  if (!(await deleteSsoConfig(deps.db, orgId))) {
    throw new AppError('NOT_FOUND', 'Single sign-on is not set up for this organization')
  }
  await revokeOrgSsoSessions(deps.db, orgId)
  return { ok: true as const }
}
