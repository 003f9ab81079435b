import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { apiTokens } from './api-tokens.ts'
import { organizations } from './organizations.ts'
import { vehicles } from './vehicles.ts'

export const DEVICE_STATUSES = ['active', 'inactive'] as const

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    macAddress: text('mac_address'),
    /** The tracker's own id (IMEI, serial) for protocols that name devices that way. */
    externalId: text('external_id'),
    model: text('model'),
    hwVersion: text('hw_version'),
    swVersion: text('sw_version'),
    status: text('status', { enum: DEVICE_STATUSES }).notNull().default('active'),
    note: text('note'),
    vehicleId: uuid('vehicle_id').references(() => vehicles.id, { onDelete: 'set null' }),
    tokenId: uuid('token_id').references(() => apiTokens.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('devices_org_external_id_key').on(t.orgId, t.externalId),
    uniqueIndex('devices_org_mac_key').on(t.orgId, t.macAddress),
    index('devices_org_created_idx').on(t.orgId, t.createdAt),
    index('devices_vehicle_idx').on(t.vehicleId),
    index('devices_token_idx').on(t.tokenId),
  ],
)

export type Device = typeof devices.$inferSelect
