import { sql } from 'drizzle-orm'
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'
import { users } from './users.ts'

export const NOTIFICATION_CHANNELS = ['email', 'in_app'] as const
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number]

/**
 * What one user asked to be told about: alert kinds (empty: every kind), vehicles (null: all the
 * user may see), the channels, quiet hours (local minutes of the day in `time_zone`; emails due
 * in them wait for their end) and a digest period (one email per that many minutes at most).
 */
export const notificationSubscriptions = pgTable(
  'notification_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kinds: text('kinds').array().notNull().default(sql`'{}'::text[]`),
    vehicleIds: uuid('vehicle_ids').array(),
    channels: text('channels').array().$type<NotificationChannel[]>().notNull(),
    timeZone: text('time_zone').notNull().default('UTC'),
    quietStartMinute: smallint('quiet_start_minute'),
    quietEndMinute: smallint('quiet_end_minute'),
    digestMinutes: integer('digest_minutes'),
    isEnabled: boolean('is_enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('notification_subscriptions_org_idx').on(t.orgId),
    index('notification_subscriptions_user_idx').on(t.userId, t.createdAt),
    check(
      'notification_subscriptions_quiet_check',
      sql`(${t.quietStartMinute} is null) = (${t.quietEndMinute} is null)`,
    ),
  ],
)

export type NotificationSubscriptionRow = typeof notificationSubscriptions.$inferSelect

export const NOTIFICATION_EMAIL_STATES = ['none', 'pending', 'sent', 'dropped'] as const
export type NotificationEmailState = (typeof NOTIFICATION_EMAIL_STATES)[number]

/**
 * One per user and alert episode (`alert_key`): the in-app list, and the queue of alerts still to
 * be emailed (`email_state` pending until `email_due_at`, then gathered into one email per user).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subscriptionId: uuid('subscription_id').references(() => notificationSubscriptions.id, {
      onDelete: 'set null',
    }),
    alertId: uuid('alert_id'),
    alertKey: text('alert_key').notNull(),
    vehicleId: uuid('vehicle_id'),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    alertTime: timestamp('alert_time', { withTimezone: true, precision: 3 }).notNull(),
    isInApp: boolean('is_in_app').notNull(),
    isRetracted: boolean('is_retracted').notNull().default(false),
    emailState: text('email_state').$type<NotificationEmailState>().notNull().default('none'),
    emailDueAt: timestamp('email_due_at', { withTimezone: true, precision: 3 }),
    readAt: timestamp('read_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('notifications_user_alert_key').on(t.userId, t.alertKey),
    index('notifications_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('notifications_user_unread_idx')
      .on(t.userId)
      .where(sql`${t.readAt} is null and ${t.isInApp}`),
    index('notifications_email_due_idx').on(t.emailDueAt).where(sql`${t.emailState} = 'pending'`),
  ],
)

export type NotificationRow = typeof notifications.$inferSelect

export const EMAIL_PURPOSES = [
  'alert',
  'digest',
  'report',
  'verify_email',
  'reset_password',
  'account_exists',
  'invitation',
] as const
export type EmailPurpose = (typeof EMAIL_PURPOSES)[number]

export const EMAIL_STATUSES = ['pending', 'sent', 'failed'] as const
export type EmailStatus = (typeof EMAIL_STATUSES)[number]

export interface EmailAttachment {
  filename: string
  contentType: string
  /** Text content (CSV). */
  content: string
}

/**
 * Rendered emails waiting to be sent, and the log of those sent: claimed by one node at a time
 * (`next_attempt_at` pushed ahead as a lease), retried with backoff until sent or `failed`.
 */
export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    purpose: text('purpose').$type<EmailPurpose>().notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    attachments: jsonb('attachments').$type<EmailAttachment[]>().notNull().default([]),
    status: text('status').$type<EmailStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('email_outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('email_outbox_org_created_idx').on(t.orgId, t.createdAt.desc()),
  ],
)

export type EmailOutboxRow = typeof emailOutbox.$inferSelect

export const ACCOUNT_TOKEN_PURPOSES = ['verify_email', 'reset_password'] as const
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number]

/** Single-use, expiring tokens sent by email; only their SHA-256 digest is stored. */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').$type<AccountTokenPurpose>().notNull(),
    tokenHash: text('token_hash').notNull(),
    /** The address the token was sent to: a verification proves this one, not a later one. */
    email: text('email').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('account_tokens_hash_key').on(t.tokenHash),
    // One live token per user and purpose: a new one replaces it in place (see replaceAccountToken).
    uniqueIndex('account_tokens_user_purpose_key').on(t.userId, t.purpose),
  ],
)

export type AccountTokenRow = typeof accountTokens.$inferSelect

export const REPORT_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number]

/**
 * Reports emailed on a schedule: the daily summary and trips of the period that just ended, as
 * CSV attachments with an HTML summary, to users of the organization. `next_run_at` is advanced
 * in the transaction that queues the emails, so a period is sent once across nodes.
 */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    frequency: text('frequency').$type<ReportFrequency>().notNull(),
    /** IANA zone the periods are cut in; null: the organization's. */
    timeZone: text('time_zone'),
    /** Local hour the report goes out, after its period ended. */
    sendHour: smallint('send_hour').notNull().default(6),
    recipientUserIds: uuid('recipient_user_ids').array().notNull(),
    /** Null: every vehicle. */
    vehicleIds: uuid('vehicle_ids').array(),
    isEnabled: boolean('is_enabled').notNull().default(true),
    nextRunAt: timestamp('next_run_at', { withTimezone: true, precision: 3 }).notNull(),
    lastRunAt: timestamp('last_run_at', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('report_schedules_org_idx').on(t.orgId, t.createdAt),
    index('report_schedules_due_idx').on(t.nextRunAt).where(sql`${t.isEnabled}`),
  ],
)

export type ReportScheduleRow = typeof reportSchedules.$inferSelect
