import {
  applyTimelinePlan,
  createDriver,
  deleteDriver,
  findDriverById,
  findScoreWeights,
  findStintsSince,
  listAssignments,
  listDrivers,
  lockVehicles,
  saveScoreWeights,
  updateDriver,
} from '@fms/db/queries/drivers'
import { canSeeVehicle, type VehicleScope } from '@fms/db/queries/vehicle-scope'
import {
  DEFAULT_SCORE_WEIGHTS,
  planAssignment,
  planUnassignment,
  type ScoreWeights,
} from '@fms/engine'
import type { DbDeps } from '../context.ts'
import { notFound } from '../errors.ts'
import type {
  TAssignDriverInput,
  TAssignmentsInput,
  TCreateDriverInput,
  TListDriversInput,
  TScoreWeights,
  TUnassignDriverInput,
  TUpdateDriverInput,
} from '../schemas/index.ts'
import { type ConflictFields, mapDbErrors, orNotFound } from './db-errors.ts'
import { refuseFuture } from './past-time.ts'

const CONFLICTS: ConflictFields = {
  drivers_org_identifier_key: {
    field: 'identifier',
    message: 'Another driver already has this identifier',
  },
  drivers_org_employee_number_key: {
    field: 'employeeNumber',
    message: 'Another driver already has this employee number',
  },
}

export function listOrgDrivers(deps: DbDeps, orgId: string, input: TListDriversInput) {
  return mapDbErrors(listDrivers(deps.db, { ...input, orgId }))
}

export function findOrgDriver(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(findDriverById(deps.db, { orgId, id }), 'Driver')
}

export function createOrgDriver(deps: DbDeps, orgId: string, input: TCreateDriverInput) {
  return mapDbErrors(createDriver(deps.db, { orgId, fields: input }), CONFLICTS)
}

export function updateOrgDriver(deps: DbDeps, orgId: string, input: TUpdateDriverInput) {
  const { id, ...patch } = input
  return orNotFound(mapDbErrors(updateDriver(deps.db, { orgId, id, patch }), CONFLICTS), 'Driver')
}

/** Removes the driver and its stints (the vehicles have no driver for those times). */
export function removeOrgDriver(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(deleteDriver(deps.db, { orgId, id }), 'Driver')
}

/** A change's start: now when not given, never in the future (a slightly fast clock is now). */
function readStart(value: Date | undefined, field: string): number {
  const now = Date.now()
  const time = value?.getTime() ?? now
  refuseFuture(time, field)
  return Math.min(time, now)
}

/** The vehicle's stint starting at `from` after a change, with names. */
async function findStintAt(deps: DbDeps, orgId: string, vehicleId: string, at: number) {
  const [row] = await listAssignments(deps.db, {
    orgId,
    vehicleId,
    from: new Date(at),
    to: new Date(at + 1),
    limit: 1,
  })
  return row ?? null
}

/**
 * `driverId` drives the vehicle from `from` (default now) until its next change: the stint
 * covering that time ends there. Under the vehicle's row lock, so two assignments (or a card
 * swipe in the rules worker) never interleave on one vehicle.
 */
export async function assignOrgDriver(deps: DbDeps, orgId: string, input: TAssignDriverInput) {
  const from = readStart(input.from, 'from')
  await deps.db.transaction(async (tx) => {
    const locked = await lockVehicles(tx, { orgId, vehicleIds: [input.vehicleId] })
    if (!locked.has(input.vehicleId)) throw notFound('Vehicle')
    await orNotFound(findDriverById(tx, { orgId, id: input.driverId }), 'Driver')
    const stints = await findStintsSince(tx, { orgId, vehicleIds: [input.vehicleId], from })
    const plan = planAssignment(stints, { driverId: input.driverId, from })
    await applyTimelinePlan(tx, { orgId, vehicleId: input.vehicleId, plan })
  })
  const stint = await findStintAt(deps, orgId, input.vehicleId, from)
  if (!stint) throw new Error('assigned stint not found')
  return stint
}

/**
 * Ends the current stint of the vehicle, or of the driver on whichever vehicles it drives, at
 * `at` (default now). Answers the stints it ended (none when nobody was driving).
 */
export async function unassignOrgDriver(deps: DbDeps, orgId: string, input: TUnassignDriverInput) {
  const at = readStart(input.at, 'at')
  const ended = await deps.db.transaction(async (tx) => {
    if (input.driverId)
      await orNotFound(findDriverById(tx, { orgId, id: input.driverId }), 'Driver')
    const current = await listAssignments(tx, {
      orgId,
      driverId: input.driverId,
      vehicleId: input.vehicleId,
      from: new Date(at),
      to: new Date(at + 1),
      limit: 100,
    })
    if (input.vehicleId && current.length === 0) {
      // Nobody drives it then: still answer NOT_FOUND for another organization's vehicle.
      const locked = await lockVehicles(tx, { orgId, vehicleIds: [input.vehicleId] })
      if (!locked.has(input.vehicleId)) throw notFound('Vehicle')
      return []
    }
    const vehicleIds = [...new Set(current.map((row) => row.vehicleId))]
    await lockVehicles(tx, { orgId, vehicleIds })
    for (const vehicleId of vehicleIds) {
      const stints = await findStintsSince(tx, { orgId, vehicleIds: [vehicleId], from: at })
      const plan = planUnassignment(stints, { at, driverId: input.driverId })
      await applyTimelinePlan(tx, { orgId, vehicleId, plan })
    }
    return current.map((row) => row.id)
  })
  return { ended: ended.length }
}

/** Stints on the vehicles the scope sees (a group-limited user: their vehicles' only). */
export async function listOrgAssignments(
  deps: DbDeps,
  scope: VehicleScope,
  input: TAssignmentsInput,
) {
  const { orgId } = scope
  if (input.driverId) await findOrgDriver(deps, orgId, input.driverId)
  const items = await listAssignments(deps.db, { ...input, orgId })
  return { items: items.filter((stint) => canSeeVehicle(scope, stint.vehicleId)) }
}

/** Who drives each vehicle now (vehicles with nobody are left out). */
export async function listCurrentDrivers(deps: DbDeps, scope: VehicleScope) {
  const { orgId } = scope
  const now = Date.now()
  const items = await listAssignments(deps.db, {
    orgId,
    from: new Date(now),
    to: new Date(now + 1),
    limit: 100_000,
  })
  return { items: items.filter((stint) => canSeeVehicle(scope, stint.vehicleId)) }
}

/** The organization's weights, every component filled in (defaults where it set none). */
export async function findOrgScoreWeights(deps: DbDeps, orgId: string): Promise<ScoreWeights> {
  const stored = (await findScoreWeights(deps.db, orgId)) ?? {}
  const weights = { ...DEFAULT_SCORE_WEIGHTS }
  for (const key of Object.keys(weights) as (keyof ScoreWeights)[]) {
    const value = stored[key]
    if (typeof value === 'number' && Number.isFinite(value)) weights[key] = value
  }
  return weights
}

export async function updateOrgScoreWeights(deps: DbDeps, orgId: string, input: TScoreWeights) {
  const current = await findOrgScoreWeights(deps, orgId)
  const weights = {
    ...current,
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
  }
  await saveScoreWeights(deps.db, { orgId, weights })
  return weights as ScoreWeights
}
