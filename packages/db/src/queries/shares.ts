import { and, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import { shares } from '../schema/index.ts'
import { firstOrNull, pageInOrg } from './org-rows.ts'
import type { PageParams } from './pagination.ts'
import { rowsOf } from './rows.ts'
import {
  LATEST_READINGS,
  type LatestVehicleState,
  readReadings,
  selectReadings,
} from './telemetry.ts'

/** What a share list may show: never the token digest. The nonce stays in the service. */
export const shareColumns = {
  id: shares.id,
  orgId: shares.orgId,
  createdBy: shares.createdBy,
  name: shares.name,
  vehicleIds: shares.vehicleIds,
  historyFrom: shares.historyFrom,
  expiresAt: shares.expiresAt,
  revokedAt: shares.revokedAt,
  tokenNonce: shares.tokenNonce,
  createdAt: shares.createdAt,
  updatedAt: shares.updatedAt,
}

/** A share row as `shareColumns` select it. */
export type ShareRecord = Awaited<ReturnType<typeof createShare>>

export async function createShare(
  db: Database,
  params: {
    orgId: string
    createdBy: string
    name: string | null
    vehicleIds: string[]
    historyFrom: Date
    expiresAt: Date
    tokenNonce: string
    tokenDigest: string
  },
) {
  const [row] = await db.insert(shares).values(params).returning(shareColumns)
  if (!row) throw new Error('share insert returned no row')
  return row
}

/** Links working at `now`: not revoked, not expired. */
function isActive(now: Date): SQL | undefined {
  return and(isNull(shares.revokedAt), gt(shares.expiresAt, now))
}

/** The organization's links, newest first; only `createdBy`'s when given. */
export async function listShares(
  db: Database,
  params: PageParams<'createdAt'> & {
    createdBy?: string | undefined
    includeInactive?: boolean | undefined
  },
) {
  return pageInOrg(db.select(shareColumns).from(shares).$dynamic(), {
    table: shares,
    column: shares.createdAt,
    params,
    filters: [
      params.createdBy ? eq(shares.createdBy, params.createdBy) : undefined,
      params.includeInactive ? undefined : isActive(new Date()),
    ],
    sortValue: (row) => row.createdAt,
  })
}

/** Ends a link now; null when the organization has no such working link (or not `createdBy`'s). */
export async function revokeShare(
  db: Database,
  params: { orgId: string; id: string; createdBy?: string | undefined },
) {
  return firstOrNull(
    db
      .update(shares)
      .set({ revokedAt: new Date(), updatedAt: new Date() })
      .where(
        and(
          eq(shares.id, params.id),
          eq(shares.orgId, params.orgId),
          params.createdBy ? eq(shares.createdBy, params.createdBy) : undefined,
          isNull(shares.revokedAt),
        ),
      )
      .returning(shareColumns),
  )
}

/**
 * The working link whose token has this digest. The lookup is by the digest through a unique
 * index, so its time says nothing about how close a guess came to a real token.
 */
export async function findActiveShareByDigest(db: Database, tokenDigest: string) {
  return firstOrNull(
    db
      .select({
        id: shares.id,
        orgId: shares.orgId,
        createdBy: shares.createdBy,
        name: shares.name,
        vehicleIds: shares.vehicleIds,
        historyFrom: shares.historyFrom,
        expiresAt: shares.expiresAt,
      })
      .from(shares)
      .where(and(eq(shares.tokenDigest, tokenDigest), isActive(new Date()))),
  )
}

/** Which of `ids` still work now (for open live views, checked every few seconds). */
export async function findActiveShareIds(db: Database, ids: readonly string[]) {
  if (ids.length === 0) return new Set<string>()
  const rows = await db
    .select({ id: shares.id })
    .from(shares)
    .where(and(inArray(shares.id, [...ids]), isActive(new Date())))
  return new Set(rows.map((row) => row.id))
}

/**
 * The shared vehicles with their last point at or after `since` (none before: readings null),
 * in code order. Vehicles removed since the link was made are left out.
 */
export async function findSharedVehicleStates(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[]; since: Date },
): Promise<LatestVehicleState[]> {
  if (params.vehicleIds.length === 0) return []
  const ids = sql.join(
    params.vehicleIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )
  const result = await db.execute(sql`
    select v.id as "vehicleId", v.code, v.plate, v.status,
           t.device_id as "deviceId", t.time, ${selectReadings(LATEST_READINGS)},
           t.status as "pointStatus"
    from vehicles v
    left join lateral (
      select * from telemetry
      where telemetry.vehicle_id = v.id and telemetry.org_id = ${params.orgId}
        and telemetry.time >= ${params.since.toISOString()}
      order by telemetry.time desc
      limit 1
    ) t on true
    where v.org_id = ${params.orgId} and v.id in (${ids})
    order by v.code`)
  return rowsOf(result).map((row) => {
    const state = { ...row, time: row.time === null ? null : new Date(row.time as string | Date) }
    readReadings(row, LATEST_READINGS, state)
    return state as unknown as LatestVehicleState
  })
}
