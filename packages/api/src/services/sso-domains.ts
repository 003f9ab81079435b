import { domainToASCII } from 'node:url'
import { findUserById } from '@fms/db/queries/users'
import type { ApiDeps } from '../context.ts'
import { AppError } from '../errors.ts'

/**
 * Public mail providers: an address there proves nothing about who runs the domain, so an admin's
 * verified address at one of them never lets an organization claim it for single sign-on.
 */
export const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'yandex.ru',
  'mail.ru',
  'qq.com',
  '163.com',
])

/** A domain as stored and compared: lower case, punycode (IDN → `xn--…`), no trailing dot. */
export function normalizeDomain(domain: string): string {
  return domainToASCII(domain.trim().replace(/\.$/, '')).toLowerCase()
}

/**
 * Whether the operator's `SSO_TRUSTED_DOMAINS` covers this (normalised) domain: an entry names a
 * domain exactly, or `*.parent` names every domain under `parent` (not `parent` itself).
 */
export function isTrustedDomain(domain: string, trusted: readonly string[] | undefined): boolean {
  return (trusted ?? []).some((entry) =>
    entry.startsWith('*.') ? domain.endsWith(entry.slice(1)) : domain === entry,
  )
}

/** Parses `SSO_TRUSTED_DOMAINS` entries (`example.com`, `*.example.com`), normalised. */
export function parseTrustedDomains(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    const wildcard = entry.startsWith('*.')
    const name = normalizeDomain(wildcard ? entry.slice(2) : entry)
    if (!/^[a-z0-9.-]+$/.test(name) || name.startsWith('.')) throw new Error(`bad domain ${entry}`)
    return wildcard ? `*.${name}` : name
  })
}

export const DOMAIN_PROOF_HINT =
  'sign in as an admin whose verified email address is at that domain, or ask the server operator to list it in SSO_TRUSTED_DOMAINS'

/**
 * Refuses to save domains the organization has not shown are its own. A domain may be saved when
 * the organization already holds it, when the operator trusts it (`SSO_TRUSTED_DOMAINS`), or when
 * the acting admin's own email address is at exactly that domain and verified (read from the
 * database, not the token) and the domain is no public mail provider. FORBIDDEN otherwise.
 */
export async function assertDomainsProvable(
  deps: Pick<ApiDeps, 'db' | 'ssoTrustedDomains'>,
  actor: { orgId: string; userId: string },
  domains: readonly string[],
  alreadyHeld: readonly string[],
): Promise<void> {
  const held = new Set(alreadyHeld)
  const unproven = domains.filter(
    (domain) => !held.has(domain) && !isTrustedDomain(domain, deps.ssoTrustedDomains),
  )
  if (unproven.length === 0) return
  const user = await findUserById(deps.db, { orgId: actor.orgId, id: actor.userId })
  const at = user?.email.includes('@') ? normalizeDomain(user.email.split('@').pop() ?? '') : ''
  const isVerified = Boolean(user?.emailVerifiedAt)
  for (const domain of unproven) {
    let message: string | null = null
    if (PUBLIC_MAIL_DOMAINS.has(domain)) {
      message = `${domain} is a public mail provider: its addresses can't sign in through your organization`
    } else if (domain !== at) {
      message = `Your organization has not shown that ${domain} is its own: ${DOMAIN_PROOF_HINT}`
    } else if (!isVerified) {
      message = `Verify your email address first (${domain} is taken only from a verified address at it), or ask the server operator to list it in SSO_TRUSTED_DOMAINS`
    }
    if (message) throw new AppError('FORBIDDEN', message, { fieldErrors: { domains: [message] } })
  }
}
