import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { users } from './users.ts'

/**
 * Device API tokens (`fmd_<prefix>_<secret>`): only the lookup prefix and a SHA-256 digest are kept.
 * A rotated token keeps its previous secret (prefix and digest) until `previous_expires_at`, so
 * devices can switch over; only one previous secret is kept.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description'),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    previousPrefix: text('previous_prefix'),
    previousTokenHash: text('previous_token_hash'),
    previousExpiresAt: timestamp('previous_expires_at', { withTimezone: true, precision: 3 }),
    rotatedAt: timestamp('rotated_at', { withTimezone: true, precision: 3 }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('api_tokens_prefix_key').on(t.prefix),
    uniqueIndex('api_tokens_previous_prefix_key').on(t.previousPrefix),
    index('api_tokens_org_created_idx').on(t.orgId, t.createdAt),
  ],
)

export type ApiToken = typeof apiTokens.$inferSelect
