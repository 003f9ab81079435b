import { findVehiclePointsPage, type PointKey } from '@fms/db/queries/telemetry'
import { findVehicleById } from '@fms/db/queries/vehicles'
import type { DbDeps } from '../context.ts'
import type { THistoryExportInput } from '../schemas/history.ts'
import type { VehicleScope } from '../scope.ts'
import { orNotFound } from './db-errors.ts'
import { HISTORY_FORMATS } from './history-formats.ts'

/** Points read per page of an export: one page is formatted and written before the next is read. */
export const HISTORY_EXPORT_PAGE_POINTS = 5_000

/**
 * A vehicle's stored points in [from, to) as GPX, KML or CSV, checked before anything is sent
 * (NOT_FOUND for a vehicle outside the org); then `pieces` yields the document a page of points
 * at a time in (time, device) order (keyset paging), reading each page only when asked, so a slow
 * reader holds back the database work and a range of any length costs one page of memory.
 */
export async function openHistoryExport(
  deps: DbDeps,
  scope: VehicleScope,
  input: THistoryExportInput,
) {
  const { orgId } = scope
  const vehicle = await orNotFound(
    findVehicleById(deps.db, { scope, id: input.vehicleId }),
    'Vehicle',
  )
  const format = HISTORY_FORMATS[input.format]
  async function* pieces(): AsyncGenerator<string> {
    yield format.head({
      vehicleId: vehicle.id,
      code: vehicle.code,
      plate: vehicle.plate,
      description: vehicle.description,
    })
    let after: PointKey | null = null
    do {
      const page = await findVehiclePointsPage(deps.db, {
        orgId,
        vehicleId: vehicle.id,
        from: input.from,
        to: input.to,
        after,
        limit: HISTORY_EXPORT_PAGE_POINTS,
      })
      if (page.points.length > 0) yield format.points(page.points)
      after = page.nextKey
    } while (after)
    yield format.tail()
  }
  const day = (d: Date) => d.toISOString().slice(0, 10)
  const filename =
    `fms-${vehicle.code}-${day(input.from)}_${day(input.to)}.${input.format}`.replace(
      /[^A-Za-z0-9._-]/g,
      '_',
    )
  return { filename, contentType: format.contentType, pieces: pieces() }
}
