import { acknowledgeAlert, listAlerts } from '@fms/db/queries/alerts'
import type { DbDeps } from '../context.ts'
import type { TListAlertsInput } from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from './db-errors.ts'

export function listOrgAlerts(deps: DbDeps, orgId: string, input: TListAlertsInput) {
  return mapDbErrors(listAlerts(deps.db, { ...input, orgId }))
}

/** Any member of the organization may acknowledge; the first acknowledgement is kept. */
export function acknowledgeOrgAlert(
  deps: DbDeps,
  user: { id: string; orgId: string },
  alertId: string,
) {
  return orNotFound(
    acknowledgeAlert(deps.db, { orgId: user.orgId, id: alertId, userId: user.id }),
    'Alert',
  )
}
