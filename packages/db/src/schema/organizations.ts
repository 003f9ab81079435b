import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** The driver score's weights where the organization changed them (the rest: defaults). */
  driverScoreWeights: jsonb('driver_score_weights').$type<Record<string, number>>(),
  /** IANA time zone reports and schedules cut days in by default. */
  timeZone: text('time_zone').notNull().default('UTC'),
  /** Admins must sign in with a second factor: one without it is sent to enrol at sign-in. */
  requireAdminTwoFactor: boolean('require_admin_two_factor').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
})

export type Organization = typeof organizations.$inferSelect
