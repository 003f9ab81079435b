import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import {
  DISTANCE_UNITS,
  organizations,
  TEMPERATURE_UNITS,
  VOLUME_UNITS,
  WEEK_STARTS,
} from './organizations.ts'

export const USER_ROLES = ['admin', 'user'] as const

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** Stored lower-cased; unique across the whole system because login is by email. */
    email: text('email').notNull(),
    role: text('role', { enum: USER_ROLES }).notNull().default('user'),
    passwordHash: text('password_hash').notNull(),
    /** When the address was proved by a link sent to it; null: not (yet) verified. */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, precision: 3 }),
    /**
     * Access tokens issued before this (whole second) are refused: set when the password changes,
     * so a reset ends the sessions that already hold an access token, not only their refreshes.
     */
    sessionsValidAfter: timestamp('sessions_valid_after', { withTimezone: true, precision: 3 }),
    /** The user's own display settings; null: the organization's. */
    distanceUnit: text('distance_unit', { enum: DISTANCE_UNITS }),
    volumeUnit: text('volume_unit', { enum: VOLUME_UNITS }),
    temperatureUnit: text('temperature_unit', { enum: TEMPERATURE_UNITS }),
    timeZone: text('time_zone'),
    weekStart: text('week_start', { enum: WEEK_STARTS }),
    /** The TOTP secret, sealed (AES-256-GCM); set at enrolment, active once `totpEnabledAt` is. */
    totpSecret: text('totp_secret'),
    /** When two-factor sign-in was confirmed with a code; null: off. */
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true, precision: 3 }),
    /** The last TOTP time step used: a code of that step or an earlier one is refused. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /**
     * True: the user (role `user`) sees only the vehicles of their groups (`user_vehicle_groups`),
     * none when those groups are gone; false: every vehicle of the organization. Admins see all.
     */
    limitedToGroups: boolean('limited_to_groups').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    index('users_org_idx').on(t.orgId, t.createdAt),
    check('users_role_check', sql`${t.role} in ('admin', 'user')`),
  ],
)

export type User = typeof users.$inferSelect
