import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'

export const AUDIT_OUTCOMES = ['ok', 'error'] as const
export const AUDIT_ACTOR_TYPES = ['user', 'api_key', 'anonymous'] as const

/** One field's value before and after a change (null: the object did not exist then). */
export type AuditChanges = Record<string, { before: unknown; after: unknown }>

/**
 * Who did what, when, from where: one row per mutation (and per sign-in attempt), written by the
 * API's audit middleware. Values are redacted before they get here: no secret, hash or token is
 * ever stored. Rows without an organization (a sign-in with an unknown email) are kept for
 * operators but shown to no organization. Pruned after `AUDIT_RETENTION_DAYS`.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    actorType: text('actor_type', { enum: AUDIT_ACTOR_TYPES }).notNull(),
    /** The user's (or API key's) id; null for an anonymous caller. */
    actorId: uuid('actor_id'),
    /** The user's email (or the email a sign-in named), as it was then. */
    actorEmail: text('actor_email'),
    /** The procedure, e.g. `vehicles.update`, `auth.login`. */
    action: text('action').notNull(),
    outcome: text('outcome', { enum: AUDIT_OUTCOMES }).notNull(),
    /** The failure's code (`UNAUTHORIZED`, `NOT_FOUND`, …) when the outcome is `error`. */
    errorCode: text('error_code'),
    objectType: text('object_type'),
    objectId: text('object_id'),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
    /** Changed fields, redacted; null for a failure or when nothing is known to have changed. */
    changes: jsonb('changes').$type<AuditChanges>(),
    /** What the call asked for (its input), redacted and bounded. */
    input: jsonb('input'),
  },
  (t) => [
    index('audit_log_org_at_idx').on(t.orgId, t.at, t.id),
    index('audit_log_object_idx').on(t.orgId, t.objectType, t.objectId),
    index('audit_log_at_idx').on(t.at),
  ],
)

export type AuditRow = typeof auditLog.$inferSelect
export type NewAuditRow = typeof auditLog.$inferInsert
