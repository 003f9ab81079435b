import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleHistoryExport } from './export.ts'
import { type HistoryImportDeps, handleHistoryImport } from './import.ts'

/** `/api/vehicles/<id>/history.<format>` (export). */
const EXPORT_PATH = /^\/api\/vehicles\/([^/]+)\/history\.([a-z]+)$/
/** `/api/devices/<id>/history` (import). */
const IMPORT_PATH = /^\/api\/devices\/([^/]+)\/history$/

/**
 * The history routes; false when `path` is none of them. Kept out of server.ts so that file only
 * hooks them in.
 */
export async function routeHistory(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: HistoryImportDeps,
): Promise<boolean> {
  const exportMatch = EXPORT_PATH.exec(path)
  if (exportMatch) {
    const [, vehicleId = '', format = ''] = exportMatch
    await handleHistoryExport(req, res, deps, { vehicleId, format })
    return true
  }
  const importMatch = IMPORT_PATH.exec(path)
  if (importMatch) {
    await handleHistoryImport(req, res, deps, importMatch[1] ?? '')
    return true
  }
  return false
}

/** True for any path `routeHistory` answers (for CORS, which runs first). */
export function isHistoryPath(path: string): boolean {
  return EXPORT_PATH.test(path) || IMPORT_PATH.test(path)
}
