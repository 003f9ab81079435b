import type { DriverStint, TimelinePlan } from '@fms/engine'
import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import {
  type Driver,
  driverAssignments,
  drivers,
  organizations,
  vehicles,
} from '../schema/index.ts'
import { deleteInOrg, firstOrNull, idInOrg, pageInOrg, searchAny, updateInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'
import { rowsOf } from './rows.ts'

export type DriverSort = 'createdAt' | 'name'
export type DriverFields = Omit<Driver, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>

const SORT_COLUMNS = { createdAt: drivers.createdAt, name: drivers.name }

export function listDrivers(db: Database, params: PageParams<DriverSort>) {
  return pageInOrg(db.select().from(drivers).$dynamic(), {
    table: drivers,
    column: SORT_COLUMNS[params.sort],
    params,
    filters: [
      searchAny(params.search, [
        drivers.name,
        drivers.employeeNumber,
        drivers.identifier,
        drivers.phone,
        drivers.licenceNumber,
      ]),
    ],
    sortValue: (row) => row[params.sort],
  })
}

export function findDriverById(db: Database, params: { orgId: string; id: string }) {
  return firstOrNull(db.select().from(drivers).where(idInOrg(drivers, params)))
}

/** The organization's drivers by id (names for reports), all of them when `ids` is omitted. */
export function findDriverNames(db: Database, params: { orgId: string; ids?: readonly string[] }) {
  const ids = params.ids
  return db
    .select({ id: drivers.id, name: drivers.name, identifier: drivers.identifier })
    .from(drivers)
    .where(and(eq(drivers.orgId, params.orgId), ids ? inArray(drivers.id, [...ids]) : undefined))
}

export async function createDriver(
  db: Database,
  params: { orgId: string; fields: Partial<DriverFields> & Pick<DriverFields, 'name'> },
) {
  const [row] = await db
    .insert(drivers)
    .values({ ...params.fields, orgId: params.orgId })
    .returning()
  if (!row) throw new Error('driver insert returned no row')
  return row
}

export function updateDriver(
  db: Database,
  params: { orgId: string; id: string; patch: Partial<DriverFields> },
) {
  return updateInOrg(db, drivers, params)
}

export function deleteDriver(db: Database, params: { orgId: string; id: string }) {
  return deleteInOrg(db, drivers, params)
}

/** Each identifier's driver in the organization (identifiers nobody carries are left out). */
export async function findDriversByIdentifier(
  db: Database,
  params: { orgId: string; identifiers: readonly string[] },
): Promise<Map<string, string>> {
  if (params.identifiers.length === 0) return new Map()
  const rows = await db
    .select({ id: drivers.id, identifier: drivers.identifier })
    .from(drivers)
    .where(
      and(eq(drivers.orgId, params.orgId), inArray(drivers.identifier, [...params.identifiers])),
    )
  return new Map(rows.flatMap((r) => (r.identifier === null ? [] : [[r.identifier, r.id]])))
}

/**
 * Locks the vehicles' rows (in id order, so two lockers never wait on each other in a circle) for
 * the rest of the transaction: every change to a vehicle's driver timeline holds it, so plans are
 * made and applied on a timeline nobody else changes meanwhile. Answers the ids that exist in
 * the organization.
 */
export async function lockVehicles(
  tx: Database,
  params: { orgId: string; vehicleIds: readonly string[] },
): Promise<Set<string>> {
  if (params.vehicleIds.length === 0) return new Set()
  const rows = rowsOf(
    await tx.execute(sql`
      select id from vehicles
      where org_id = ${params.orgId}
        and id = any(${`{${[...params.vehicleIds].sort().join(',')}}`}::uuid[])
      order by id
      for update`),
  )
  return new Set(rows.map((row) => String(row.id)))
}

function toStint(row: typeof driverAssignments.$inferSelect): DriverStint & { vehicleId: string } {
  return {
    id: row.id,
    vehicleId: row.vehicleId,
    from: row.from.getTime(),
    to: row.to?.getTime() ?? null,
    driverId: row.driverId,
    identifier: row.identifier,
  }
}

/**
 * The vehicles' stints that end after `from` (so every stint covering a time from `from` on, and
 * every later one), by vehicle and start.
 */
export async function findStintsSince(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[]; from: number },
): Promise<(DriverStint & { vehicleId: string })[]> {
  if (params.vehicleIds.length === 0) return []
  const rows = await db
    .select()
    .from(driverAssignments)
    .where(
      and(
        eq(driverAssignments.orgId, params.orgId),
        inArray(driverAssignments.vehicleId, [...params.vehicleIds]),
        or(isNull(driverAssignments.to), gt(driverAssignments.to, new Date(params.from))),
      ),
    )
    .orderBy(asc(driverAssignments.vehicleId), asc(driverAssignments.from))
  return rows.map(toStint)
}

/** Stores a timeline plan for one vehicle (removals first, so starts stay unique throughout). */
export async function applyTimelinePlan(
  tx: Database,
  params: { orgId: string; vehicleId: string; plan: TimelinePlan },
): Promise<void> {
  const { plan } = params
  const scope = and(
    eq(driverAssignments.orgId, params.orgId),
    eq(driverAssignments.vehicleId, params.vehicleId),
  )
  if (plan.removed.length > 0) {
    await tx
      .delete(driverAssignments)
      .where(and(scope, inArray(driverAssignments.id, plan.removed)))
  }
  for (const end of plan.ended) {
    await tx
      .update(driverAssignments)
      .set({ to: end.to === null ? null : new Date(end.to) })
      .where(and(scope, eq(driverAssignments.id, end.id)))
  }
  if (plan.created.length > 0) {
    await tx.insert(driverAssignments).values(
      plan.created.map((stint) => ({
        orgId: params.orgId,
        vehicleId: params.vehicleId,
        driverId: stint.driverId,
        identifier: stint.identifier,
        from: new Date(stint.from),
        to: stint.to === null ? null : new Date(stint.to),
      })),
    )
  }
}

export interface AssignmentRow {
  id: string
  vehicleId: string
  vehicleCode: string
  driverId: string | null
  driverName: string | null
  identifier: string | null
  from: Date
  to: Date | null
}

/**
 * Stints overlapping [from, to) of the organization, of one driver and/or one vehicle, by start
 * (newest first), at most `limit`.
 */
export function listAssignments(
  db: Database,
  params: {
    orgId: string
    driverId?: string | undefined
    vehicleId?: string | undefined
    from: Date
    to: Date
    limit: number
  },
): Promise<AssignmentRow[]> {
  return db
    .select({
      id: driverAssignments.id,
      vehicleId: driverAssignments.vehicleId,
      vehicleCode: vehicles.code,
      driverId: driverAssignments.driverId,
      driverName: drivers.name,
      identifier: driverAssignments.identifier,
      from: driverAssignments.from,
      to: driverAssignments.to,
    })
    .from(driverAssignments)
    .innerJoin(vehicles, eq(vehicles.id, driverAssignments.vehicleId))
    .leftJoin(drivers, eq(drivers.id, driverAssignments.driverId))
    .where(
      and(
        eq(driverAssignments.orgId, params.orgId),
        params.driverId ? eq(driverAssignments.driverId, params.driverId) : undefined,
        params.vehicleId ? eq(driverAssignments.vehicleId, params.vehicleId) : undefined,
        lt(driverAssignments.from, params.to),
        or(isNull(driverAssignments.to), gt(driverAssignments.to, params.from)),
      ),
    )
    .orderBy(sql`${driverAssignments.from} desc`, driverAssignments.id)
    .limit(params.limit)
}

/** Each alert of the vehicles starting in [from, to): vehicle, kind and time (epoch ms). */
export async function findAlertStarts(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[]; from: Date; to: Date },
): Promise<{ vehicleId: string; kind: string; time: number }[]> {
  if (params.vehicleIds.length === 0) return []
  const rows = rowsOf(
    await db.execute(sql`
      select vehicle_id as "vehicleId", kind, time from alerts
      where org_id = ${params.orgId}
        and vehicle_id = any(${`{${params.vehicleIds.join(',')}}`}::uuid[])
        and time >= ${params.from.toISOString()}::timestamptz
        and time < ${params.to.toISOString()}::timestamptz`),
  )
  return rows.map((row) => ({
    vehicleId: String(row.vehicleId),
    kind: String(row.kind),
    time: new Date(row.time as string | Date).getTime(),
  }))
}

/** The organization's driver score weights as it set them (null: all defaults). */
export async function findScoreWeights(db: Database, orgId: string) {
  const [row] = await db
    .select({ weights: organizations.driverScoreWeights })
    .from(organizations)
    .where(eq(organizations.id, orgId))
  return row?.weights ?? null
}

export async function saveScoreWeights(
  db: Database,
  params: { orgId: string; weights: Record<string, number> },
) {
  await db
    .update(organizations)
    .set({ driverScoreWeights: params.weights })
    .where(eq(organizations.id, params.orgId))
}
