import { and, eq, inArray, lte, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import {
  type CommandChannel,
  type CommandStatus,
  type DeviceCommand,
  deviceCommands,
  devices,
} from '../schema/index.ts'
import { firstOrNull, idInOrg, pageInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'
import { rowsOf } from './rows.ts'
import { inVehicleScope, type VehicleScope } from './vehicle-scope.ts'

export interface CommandFilters {
  deviceId?: string | undefined
  status?: CommandStatus | undefined
}

export async function insertCommand(
  db: Database,
  params: {
    orgId: string
    deviceId: string
    type: string
    payload: Record<string, unknown>
    expiresAt: Date
    createdBy: string | null
  },
): Promise<DeviceCommand> {
  const [row] = await db.insert(deviceCommands).values(params).returning()
  if (!row) throw new Error('command insert returned no row')
  return row
}

/** Marks the organization's queued commands whose time has passed `expired` (what lists show). */
export async function expireCommands(db: Database, params: { orgId: string }): Promise<void> {
  await db
    .update(deviceCommands)
    .set({ status: 'expired', updatedAt: new Date() })
    .where(
      and(
        eq(deviceCommands.orgId, params.orgId),
        eq(deviceCommands.status, 'queued'),
        lte(deviceCommands.expiresAt, sql`now()`),
      ),
    )
}

export async function listCommands(
  db: Database,
  params: PageParams<'createdAt'> & CommandFilters & { scope?: VehicleScope },
) {
  const { scope } = params
  const scoped = scope && inVehicleScope(devices.vehicleId, scope)
  return pageInOrg(db.select().from(deviceCommands).$dynamic(), {
    table: deviceCommands,
    column: deviceCommands.createdAt,
    params,
    filters: [
      params.deviceId ? eq(deviceCommands.deviceId, params.deviceId) : undefined,
      params.status ? eq(deviceCommands.status, params.status) : undefined,
      scoped
        ? inArray(
            deviceCommands.deviceId,
            db.select({ id: devices.id }).from(devices).where(scoped),
          )
        : undefined,
    ],
    sortValue: (row) => row.createdAt,
  })
}

export async function findCommandById(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(db.select().from(deviceCommands).where(idInOrg(deviceCommands, params)))
}

/** Cancels a queued command: the row, or null when the org has no queued command of that id. */
export async function cancelCommand(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(
    db
      .update(deviceCommands)
      .set({ status: 'cancelled', updatedAt: new Date() })
      .where(and(idInOrg(deviceCommands, params), eq(deviceCommands.status, 'queued')))
      .returning(),
  )
}

/** What a device is sent: the command's id (it acknowledges with it), type and payload. */
export interface CommandToSend {
  id: string
  type: string
  payload: Record<string, unknown>
}

/**
 * Takes the device's oldest queued command that has not expired and marks it sent over
 * `channel`, in one statement: the row is locked `for update skip locked`, so of several nodes
 * (or requests) claiming at once exactly one gets each command, and the expiry is checked by the
 * database at the moment of delivery, not by a timer. Null when none is due.
 */
export async function claimCommand(
  db: Database,
  params: { deviceId: string; channel: CommandChannel },
): Promise<CommandToSend | null> {
  // A materialized CTE runs once: as `id in (subquery)` the planner may run the subquery again
  // for each row it updates, and a second run finds the next queued command and sends it too.
  const result = await db.execute(sql`
    with next as materialized (
      select id from device_commands
      where device_id = ${params.deviceId} and status = 'queued' and expires_at > now()
      order by created_at, id
      limit 1
      for update skip locked
    )
    update device_commands c
    set status = 'sent', sent_at = now(), channel = ${params.channel}, updated_at = now()
    from next
    where c.id = next.id and c.status = 'queued'
    returning c.id, c.type, c.payload`)
  const [row] = rowsOf<CommandToSend>(result)
  return row ?? null
}

/** Puts a claimed command back in the queue when it could not be handed over (still unexpired). */
export async function unclaimCommand(db: Database, params: { id: string }): Promise<void> {
  await db
    .update(deviceCommands)
    .set({ status: 'queued', sentAt: null, channel: null, updatedAt: new Date() })
    .where(and(eq(deviceCommands.id, params.id), eq(deviceCommands.status, 'sent')))
}

/**
 * The device's answer to a command it was sent: `acknowledged`, or `failed` with its reason.
 * Only the device the command is for, and only once: false for any other id or state.
 */
export async function answerCommand(
  db: Database,
  params: { deviceId: string; id: string; isOk: boolean; result: string | null },
): Promise<boolean> {
  const conditions: SQL[] = [
    eq(deviceCommands.id, params.id),
    eq(deviceCommands.deviceId, params.deviceId),
    eq(deviceCommands.status, 'sent'),
  ]
  const row = await firstOrNull(
    db
      .update(deviceCommands)
      .set({
        status: params.isOk ? 'acknowledged' : 'failed',
        acknowledgedAt: sql`now()`,
        result: params.result,
        updatedAt: new Date(),
      })
      .where(and(...conditions))
      .returning({ id: deviceCommands.id }),
  )
  return row !== null
}
