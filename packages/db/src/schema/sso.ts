import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { USER_ROLES, users } from './users.ts'

/**
 * An organization's OpenID Connect single sign-on: one identity provider per organization. The
 * client secret is stored sealed (AES-256-GCM, secret-box) and never leaves the server.
 */
export const ssoConfigs = pgTable(
  'sso_configs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    clientSecretSealed: text('client_secret_sealed').notNull(),
    /** The role of a user created by their first sign-in. */
    defaultRole: text('default_role', { enum: USER_ROLES }).notNull().default('user'),
    isEnabled: boolean('is_enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sso_configs_org_key').on(t.orgId),
    check('sso_configs_role_check', sql`${t.defaultRole} in ('admin', 'user')`),
  ],
)

/**
 * The email domains whose users sign in through an organization's provider, lower-cased. The
 * primary key makes a domain belong to one organization at most.
 */
export const ssoDomains = pgTable(
  'sso_domains',
  {
    domain: text('domain').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('sso_domains_org_idx').on(t.orgId)],
)

/** A user's identity at the provider (issuer + subject), linked once, in one organization. */
export const ssoLinks = pgTable(
  'sso_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sso_links_identity_key').on(t.orgId, t.issuer, t.subject),
    index('sso_links_user_idx').on(t.userId),
  ],
)

/**
 * A sign-in sent to the provider and not back yet: the state's SHA-256 digest, the PKCE verifier
 * and the nonce, for ten minutes and one callback. In the database, so any node takes the callback.
 */
export const ssoAttempts = pgTable(
  'sso_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    stateHash: text('state_hash').notNull(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    codeVerifier: text('code_verifier').notNull(),
    nonce: text('nonce').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    /** SHA-256 of the key the browser that started the sign-in holds (login CSRF binding). */
    browserHash: text('browser_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sso_attempts_state_key').on(t.stateHash),
    index('sso_attempts_expires_idx').on(t.expiresAt),
  ],
)

/**
 * A finished single sign-on waiting for the web app to collect its session: the code's digest,
 * for 60 seconds and one `auth.ssoExchange` (tokens never ride in a URL).
 */
export const ssoExchanges = pgTable(
  'sso_exchanges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    codeHash: text('code_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The organization and issuer that signed in: the exchange needs them still enabled. */
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    issuer: text('issuer').notNull(),
    /** The attempt's browser key digest: only the browser that started it collects the session. */
    browserHash: text('browser_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sso_exchanges_code_key').on(t.codeHash),
    index('sso_exchanges_expires_idx').on(t.expiresAt),
  ],
)

export type SsoConfig = typeof ssoConfigs.$inferSelect
