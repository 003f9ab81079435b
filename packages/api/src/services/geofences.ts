import {
  createGeofence,
  deleteGeofence,
  findGeofenceById,
  listGeofences,
  updateGeofence,
} from '@fms/db/queries/geofences'
import type { DbDeps } from '../context.ts'
import type {
  TCreateGeofenceInput,
  TListGeofencesInput,
  TUpdateGeofenceInput,
} from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from './db-errors.ts'

export function listOrgGeofences(deps: DbDeps, orgId: string, input: TListGeofencesInput) {
  return mapDbErrors(listGeofences(deps.db, { ...input, orgId }))
}

export function findOrgGeofence(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(findGeofenceById(deps.db, { orgId, id }), 'Geofence')
}

export function createOrgGeofence(deps: DbDeps, orgId: string, input: TCreateGeofenceInput) {
  return createGeofence(deps.db, { ...input, orgId })
}

export function updateOrgGeofence(deps: DbDeps, orgId: string, input: TUpdateGeofenceInput) {
  const { id, ...patch } = input
  return orNotFound(updateGeofence(deps.db, { orgId, id, patch }), 'Geofence')
}

export function removeOrgGeofence(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(deleteGeofence(deps.db, { orgId, id }), 'Geofence')
}
