import {
  cancelCommand,
  expireCommands,
  findCommandById,
  insertCommand,
  listCommands,
} from '@fms/db/queries/device-commands'
import { findDeviceById } from '@fms/db/queries/devices'
import type { DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import {
  COMMAND_DEFAULT_TTL_MS,
  COMMAND_MAX_TTL_MS,
  type TListCommandsInput,
  type TSendCommandInput,
} from '../schemas/commands.ts'
import type { VehicleScope } from '../scope.ts'
import { mapDbErrors, orNotFound } from './db-errors.ts'

/**
 * Queues a command for a device of the organization (NOT_FOUND otherwise). It is delivered on
 * the device's next report (OsmAnd answer or MQTT downlink) unless `expiresAt` passes first.
 */
export async function sendOrgCommand(
  deps: DbDeps,
  caller: { scope: VehicleScope; userId: string },
  input: TSendCommandInput,
) {
  const now = Date.now()
  const expiresAt = input.expiresAt ?? new Date(now + COMMAND_DEFAULT_TTL_MS)
  const expiryError =
    expiresAt.getTime() <= now
      ? 'Must be in the future'
      : expiresAt.getTime() > now + COMMAND_MAX_TTL_MS
        ? 'At most 30 days ahead'
        : null
  if (expiryError) {
    throw new AppError('BAD_REQUEST', expiryError, { fieldErrors: { expiresAt: [expiryError] } })
  }
  const device = await orNotFound(
    findDeviceById(deps.db, { scope: caller.scope, id: input.deviceId }),
    'Device',
  )
  return insertCommand(deps.db, {
    orgId: caller.scope.orgId,
    deviceId: device.id,
    type: input.type,
    payload: input.payload,
    expiresAt,
    createdBy: caller.userId,
  })
}

/** The organization's commands, newest first; those whose time passed undelivered are `expired`. */
export async function listOrgCommands(
  deps: DbDeps,
  scope: VehicleScope,
  input: TListCommandsInput,
) {
  const { orgId } = scope
  if (input.deviceId) {
    await orNotFound(findDeviceById(deps.db, { scope, id: input.deviceId }), 'Device')
  }
  await expireCommands(deps.db, { orgId })
  // A user limited to vehicle groups lists only the commands of their vehicles' devices.
  return mapDbErrors(listCommands(deps.db, { ...input, orgId, scope }))
}

/** Cancels a queued command; CONFLICT once it was sent (or ended), NOT_FOUND outside the org. */
export async function cancelOrgCommand(deps: DbDeps, orgId: string, id: string) {
  await expireCommands(deps.db, { orgId })
  const cancelled = await cancelCommand(deps.db, { orgId, id })
  if (cancelled) return cancelled
  const command = await orNotFound(findCommandById(deps.db, { orgId, id }), 'Command')
  throw new AppError(
    'CONFLICT',
    `Only a queued command can be cancelled; this one is ${command.status}`,
  )
}
