import { sql } from 'drizzle-orm'
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { users } from './users.ts'

export const API_KEY_SCOPES = ['read', 'write'] as const

/**
 * Integrator API keys (`fmk_<prefix>_<secret>`) for the REST API: only the lookup prefix and a
 * SHA-256 digest are kept. A key acts for the admin who created it (`created_by`), cut down to its
 * scope: `read` calls queries only, `write` queries and mutations. `last_used_at` and
 * `last_used_ip` are refreshed at most once a minute per key.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scope: text('scope', { enum: API_KEY_SCOPES }).notNull(),
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, precision: 3 }),
    lastUsedIp: text('last_used_ip'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('api_keys_prefix_key').on(t.prefix),
    index('api_keys_org_created_idx').on(t.orgId, t.createdAt),
    check('api_keys_scope_check', sql`${t.scope} in ('read', 'write')`),
  ],
)

export type ApiKey = typeof apiKeys.$inferSelect
