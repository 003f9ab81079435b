import { sql } from 'drizzle-orm'
import { boolean, check, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

export const DISTANCE_UNITS = ['km', 'mi'] as const
export const VOLUME_UNITS = ['L', 'gal'] as const
export const TEMPERATURE_UNITS = ['C', 'F'] as const
export const WEEK_STARTS = ['monday', 'sunday'] as const

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** The driver score's weights where the organization changed them (the rest: defaults). */
    driverScoreWeights: jsonb('driver_score_weights').$type<Record<string, number>>(),
    /** IANA time zone reports and schedules cut days in by default. */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** Display units of the organization (each user may override them); the API stays metric. */
    distanceUnit: text('distance_unit', { enum: DISTANCE_UNITS }).notNull().default('km'),
    volumeUnit: text('volume_unit', { enum: VOLUME_UNITS }).notNull().default('L'),
    temperatureUnit: text('temperature_unit', { enum: TEMPERATURE_UNITS }).notNull().default('C'),
    /** First day of a week in weekly periods and charts. */
    weekStart: text('week_start', { enum: WEEK_STARTS }).notNull().default('monday'),
    /** Admins must sign in with a second factor: one without it is sent to enrol at sign-in. */
    requireAdminTwoFactor: boolean('require_admin_two_factor').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('organizations_distance_unit_check', sql`${t.distanceUnit} in ('km', 'mi')`),
    check('organizations_volume_unit_check', sql`${t.volumeUnit} in ('L', 'gal')`),
    check('organizations_temperature_unit_check', sql`${t.temperatureUnit} in ('C', 'F')`),
    check('organizations_week_start_check', sql`${t.weekStart} in ('monday', 'sunday')`),
  ],
)

export type Organization = typeof organizations.$inferSelect
