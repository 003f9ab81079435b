import { sql } from 'drizzle-orm'
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './users.ts'

export const SIGN_IN_METHODS = ['password', 'sso'] as const
export type SignInMethod = (typeof SIGN_IN_METHODS)[number]

/**
 * Opaque refresh tokens, stored as SHA-256 digests. Every refresh rotates the token inside its
 * family; presenting a token that was already rotated (or revoked) revokes the whole family.
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** The client that signed in (User-Agent, bounded) and its address: for the sessions list. */
    userAgent: text('user_agent'),
    clientIp: text('client_ip'),
    /** How the session signed in: a password (and maybe a code), or the organization's SSO. */
    method: text('method', { enum: SIGN_IN_METHODS }).notNull().default('password'),
  },
  (t) => [
    uniqueIndex('refresh_tokens_hash_key').on(t.tokenHash),
    index('refresh_tokens_family_idx').on(t.familyId),
    index('refresh_tokens_user_idx').on(t.userId),
    check('refresh_tokens_method_check', sql`${t.method} in ('password', 'sso')`),
  ],
)

export type RefreshToken = typeof refreshTokens.$inferSelect
