import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { users } from './users.ts'

/**
 * Share links: a token that shows some vehicles live without signing in, until `expires_at` or
 * revocation. The token itself is never stored: it is an HMAC of `token_nonce` under a server key,
 * so the link can be shown again, and `token_digest` (SHA-256 of the token) is what a visit is
 * looked up by. A database dump alone yields no working link.
 */
export const shares = pgTable(
  'shares',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The user who made it; a removed user's links go with them. */
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name'),
    /** The vehicles the link shows, fixed at creation. */
    vehicleIds: uuid('vehicle_ids').array().notNull(),
    /** The earliest point the link shows: its creation unless the creator chose earlier. */
    historyFrom: timestamp('history_from', { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    tokenNonce: text('token_nonce').notNull(),
    tokenDigest: text('token_digest').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shares_token_digest_key').on(t.tokenDigest),
    index('shares_org_created_idx').on(t.orgId, t.createdAt),
  ],
)

export type ShareRow = typeof shares.$inferSelect
