import { openSecret, sealSecret } from '@fms/auth'
import { uniqueViolation } from '@fms/db'
import { deleteSsoConfig, findSsoConfig, saveSsoConfig } from '@fms/db/queries/sso'
import type { ApiDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { TUpdateSsoInput } from '../schemas/index.ts'
import { discoverProvider, issuerProblem } from './sso-oidc.ts'

export type SsoDeps = Pick<ApiDeps, 'db' | 'ssoKey' | 'publicUrl'>

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
 * by the client's timeout). Without a new secret the stored one is kept; a first save needs one.
 * A domain another organization claims is a CONFLICT.
 */
export async function updateSso(deps: SsoDeps, orgId: string, input: TUpdateSsoInput) {
  const key = requireSsoKey(deps)
  const issuer = input.issuer.replace(/\/+$/, '')
  const problem = issuerProblem(issuer)
  if (problem) throw new AppError('BAD_REQUEST', problem, { fieldErrors: { issuer: [problem] } })
  const existing = await findSsoConfig(deps.db, orgId)
  let clientSecret = input.clientSecret
  if (clientSecret === undefined && existing) {
    // Unreadable when JWT_SECRET changed since: then the secret must be entered again.
    clientSecret = openStoredSecret(key, existing.clientSecretSealed)
  }
  if (clientSecret === undefined) {
    const message = 'Enter the client secret'
    throw new AppError('BAD_REQUEST', message, { fieldErrors: { clientSecret: [message] } })
  }
  try {
    await discoverProvider({ issuer, clientId: input.clientId, clientSecret })
  } catch (error) {
    const message = 'The issuer does not answer OpenID discovery; check the URL'
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
      domains: input.domains,
    })
  } catch (error) {
    if (uniqueViolation(error) !== 'sso_domains_pkey') throw error
    const message = 'One of these domains already signs in through another organization'
    throw new AppError('CONFLICT', message, { fieldErrors: { domains: [message] } })
  }
  return describeSso(deps, orgId)
}

export async function removeSso(deps: Pick<ApiDeps, 'db'>, orgId: string) {
  if (!(await deleteSsoConfig(deps.db, orgId))) {
    throw new AppError('NOT_FOUND', 'Single sign-on is not set up for this organization')
  }
  return { ok: true as const }
}
