import { sql } from 'drizzle-orm'
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { devices } from './devices.ts'
import { organizations } from './organizations.ts'
import { users } from './users.ts'

/**
 * A command's life: `queued` until a device's next report takes it (`sent`), then `acknowledged`
 * or `failed` by the device's answer; `expired` when its `expires_at` passed before delivery (it
 * is then never sent); `cancelled` by an admin while queued.
 */
export const COMMAND_STATUSES = [
  'queued',
  'sent',
  'acknowledged',
  'failed',
  'expired',
  'cancelled',
] as const
export type CommandStatus = (typeof COMMAND_STATUSES)[number]

/** The transports a command is delivered over. */
export const COMMAND_CHANNELS = ['osmand', 'mqtt'] as const
export type CommandChannel = (typeof COMMAND_CHANNELS)[number]

/** Commands to devices, queued by admins and delivered on the device's next report. */
export const deviceCommands = pgTable(
  'device_commands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: COMMAND_STATUSES }).notNull().default('queued'),
    /** After this the command is never sent (checked in the claiming query). */
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
    channel: text('channel', { enum: COMMAND_CHANNELS }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, precision: 3 }),
    /** The device's answer (acknowledged) or why it failed. */
    result: text('result'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('device_commands_org_created_idx').on(t.orgId, t.createdAt),
    // The claim on every report: the device's oldest queued command.
    index('device_commands_device_queued_idx')
      .on(t.deviceId, t.createdAt)
      .where(sql`status = 'queued'`),
  ],
)

export type DeviceCommand = typeof deviceCommands.$inferSelect
