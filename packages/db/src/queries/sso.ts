import { and, asc, eq, gt, inArray, isNull, lt } from 'drizzle-orm'
import type { Database } from '../client.ts'
import {
  organizations,
  refreshTokens,
  ssoAttempts,
  ssoConfigs,
  ssoDomains,
  ssoExchanges,
  ssoLinks,
  users,
} from '../schema/index.ts'
import { firstOrNull } from './org-rows.ts'
import { lockRefreshFamily } from './refresh-tokens.ts'

/** An organization's single sign-on settings with its domains; the secret is still sealed. */
export async function findSsoConfig(db: Database, orgId: string) {
  const config = await firstOrNull(db.select().from(ssoConfigs).where(eq(ssoConfigs.orgId, orgId)))
  if (!config) return null
  const domains = await db
    .select({ domain: ssoDomains.domain })
    .from(ssoDomains)
    .where(eq(ssoDomains.orgId, orgId))
    .orderBy(asc(ssoDomains.domain))
  return { ...config, domains: domains.map((row) => row.domain) }
}

/**
 * Creates or replaces an organization's settings and its domains, in one transaction. A domain
 * another organization holds fails the insert with a unique violation (`sso_domains_pkey`).
 * Without `clientSecretSealed` the stored secret is kept.
 */
export async function saveSsoConfig(
  db: Database,
  params: {
    orgId: string
    issuer: string
    clientId: string
    clientSecretSealed: string
    defaultRole: 'admin' | 'user'
    isEnabled: boolean
    domains: readonly string[]
  },
) {
  return db.transaction(async (tx) => {
    const { domains, ...config } = params
    await tx
      .insert(ssoConfigs)
      .values(config)
      .onConflictDoUpdate({
        target: ssoConfigs.orgId,
        set: {
          issuer: config.issuer,
          clientId: config.clientId,
          clientSecretSealed: config.clientSecretSealed,
          defaultRole: config.defaultRole,
          isEnabled: config.isEnabled,
          updatedAt: new Date(),
        },
      })
    await tx.delete(ssoDomains).where(eq(ssoDomains.orgId, params.orgId))
    if (domains.length > 0) {
      await tx.insert(ssoDomains).values(domains.map((domain) => ({ domain, orgId: params.orgId })))
    }
  })
}

/** Removes an organization's settings and domains; false when there were none. */
export async function deleteSsoConfig(db: Database, orgId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.delete(ssoDomains).where(eq(ssoDomains.orgId, orgId))
    const rows = await tx
      .delete(ssoConfigs)
      .where(eq(ssoConfigs.orgId, orgId))
      .returning({ id: ssoConfigs.id })
    return rows.length > 0
  })
}

/** The organization whose enabled single sign-on claims this (lower-cased) domain, or null. */
export async function findSsoOrgByDomain(db: Database, domain: string) {
  return firstOrNull(
    db
      .select({ orgId: ssoDomains.orgId })
      .from(ssoDomains)
      .innerJoin(ssoConfigs, eq(ssoConfigs.orgId, ssoDomains.orgId))
      .where(and(eq(ssoDomains.domain, domain), eq(ssoConfigs.isEnabled, true))),
  )
}

/** Stores a sign-in on its way to the provider; expired ones of any organization are dropped. */
export async function insertSsoAttempt(
  db: Database,
  params: {
    stateHash: string
    orgId: string
    codeVerifier: string
    nonce: string
    redirectUri: string
    browserHash: string
    expiresAt: Date
  },
): Promise<void> {
  await db.delete(ssoAttempts).where(lt(ssoAttempts.expiresAt, new Date()))
  await db.insert(ssoAttempts).values(params)
}

/**
 * Takes the attempt of this state, once: one `DELETE … RETURNING`, so of two callbacks with the
 * same state (on any nodes) one gets it. Null when unknown, used or expired.
 */
export async function claimSsoAttempt(db: Database, stateHash: string) {
  return firstOrNull(
    db
      .delete(ssoAttempts)
      .where(and(eq(ssoAttempts.stateHash, stateHash), gt(ssoAttempts.expiresAt, new Date())))
      .returning(),
  )
}

/** The user linked to this identity at the organization's provider. */
export async function findSsoLinkedUser(
  db: Database,
  params: { orgId: string; issuer: string; subject: string },
) {
  return firstOrNull(
    db
      .select({ userId: ssoLinks.userId })
      .from(ssoLinks)
      .where(
        and(
          eq(ssoLinks.orgId, params.orgId),
          eq(ssoLinks.issuer, params.issuer),
          eq(ssoLinks.subject, params.subject),
        ),
      ),
  )
}

/** The subject a user is already linked to at this organization's issuer, if any. */
export async function findUserSsoSubject(
  db: Database,
  params: { orgId: string; issuer: string; userId: string },
) {
  return firstOrNull(
    db
      .select({ subject: ssoLinks.subject })
      .from(ssoLinks)
      .where(
        and(
          eq(ssoLinks.orgId, params.orgId),
          eq(ssoLinks.issuer, params.issuer),
          eq(ssoLinks.userId, params.userId),
        ),
      )
      .limit(1),
  )
}

export async function insertSsoLink(
  db: Database,
  params: { orgId: string; userId: string; issuer: string; subject: string },
): Promise<void> {
  await db.insert(ssoLinks).values(params).onConflictDoNothing()
}

/**
 * A user by email with the organization it belongs to, its role and whether two-factor sign-in is
 * on (for linking a first SSO sign-in).
 */
export async function findUserOrgByEmail(db: Database, email: string) {
  return firstOrNull(
    db
      .select({
        id: users.id,
        orgId: users.orgId,
        role: users.role,
        totpEnabledAt: users.totpEnabledAt,
      })
      .from(users)
      .where(eq(users.email, email.toLowerCase())),
  )
}

/** Marks the address verified (the provider vouched for it) if it was not yet. */
export async function markSsoEmailVerified(db: Database, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
}

export async function insertSsoExchange(
  db: Database,
  params: {
    codeHash: string
    userId: string
    orgId: string
    issuer: string
    browserHash: string
    expiresAt: Date
  },
): Promise<void> {
  await db.delete(ssoExchanges).where(lt(ssoExchanges.expiresAt, new Date()))
  await db.insert(ssoExchanges).values(params)
}

/** Takes the exchange of this code once (`DELETE … RETURNING`); null when unknown, used or expired. */
export async function claimSsoExchange(db: Database, codeHash: string) {
  return firstOrNull(
    db
      .delete(ssoExchanges)
      .where(and(eq(ssoExchanges.codeHash, codeHash), gt(ssoExchanges.expiresAt, new Date())))
      .returning({
        userId: ssoExchanges.userId,
        orgId: ssoExchanges.orgId,
        issuer: ssoExchanges.issuer,
        browserHash: ssoExchanges.browserHash,
      }),
  )
}

/** Whether the organization exists and has enabled single sign-on. */
export async function findEnabledSsoConfig(db: Database, orgId: string) {
  return firstOrNull(
    db
      .select({
        orgId: ssoConfigs.orgId,
        issuer: ssoConfigs.issuer,
        clientId: ssoConfigs.clientId,
        clientSecretSealed: ssoConfigs.clientSecretSealed,
        defaultRole: ssoConfigs.defaultRole,
        orgName: organizations.name,
      })
      .from(ssoConfigs)
      .innerJoin(organizations, eq(organizations.id, ssoConfigs.orgId))
      .where(and(eq(ssoConfigs.orgId, orgId), eq(ssoConfigs.isEnabled, true))),
  )
}

/**
 * Whether the organization's single sign-on is still enabled at this issuer, its row share-locked
 * until the transaction ends: a save or removal of the settings waits for a session issued under
 * it, so revoking the organization's SSO sessions right after that change sees the session.
 */
export async function lockEnabledSsoIssuer(
  db: Database,
  params: { orgId: string; issuer: string },
): Promise<boolean> {
  const rows = await db
    .select({ id: ssoConfigs.id })
    .from(ssoConfigs)
    .where(
      and(
        eq(ssoConfigs.orgId, params.orgId),
        eq(ssoConfigs.issuer, params.issuer),
        eq(ssoConfigs.isEnabled, true),
      ),
    )
    .for('share')
  return rows.length > 0
}

/** Families revoked per transaction (each takes its family's advisory lock). */
const REVOKE_BATCH = 100

/**
 * Ends every session of the organization's users that signed in by single sign-on (refresh-token
 * families with `method = 'sso'`: their refresh and access tokens stop working at once), and drops
 * its sign-ins still at the provider and its exchange codes not collected yet. Call it after
 * single sign-on is removed, disabled or moved to another issuer, once that change is committed:
 * an exchange share-locks the settings row while it issues a session (`lockEnabledSsoIssuer`), so
 * every session issued under the old settings is committed by then and revoked here. Each family
 * is revoked under its lock, as refresh takes it, so a racing refresh can't slip a token past.
 * Password sessions are kept. Answers how many sessions ended.
 */
export async function revokeOrgSsoSessions(db: Database, orgId: string): Promise<number> {
  await db.delete(ssoAttempts).where(eq(ssoAttempts.orgId, orgId))
  await db.delete(ssoExchanges).where(eq(ssoExchanges.orgId, orgId))
  const rows = await db
    .selectDistinct({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .innerJoin(users, eq(users.id, refreshTokens.userId))
    .where(
      and(eq(users.orgId, orgId), eq(refreshTokens.method, 'sso'), isNull(refreshTokens.revokedAt)),
    )
  // Locks taken in one order, so two of these running at once can't deadlock.
  const families = rows.map((row) => row.familyId).sort()
  for (let start = 0; start < families.length; start += REVOKE_BATCH) {
    const batch = families.slice(start, start + REVOKE_BATCH)
    await db.transaction(async (tx) => {
      for (const familyId of batch) await lockRefreshFamily(tx, familyId)
      await tx
        .update(refreshTokens)
        .set({ revokedAt: new Date() })
        .where(and(inArray(refreshTokens.familyId, batch), isNull(refreshTokens.revokedAt)))
    })
  }
  return families.length
}
