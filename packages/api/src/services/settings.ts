import {
  findOrgSettings,
  findUserSettings,
  updateOrgSettings,
  updateUserSettings,
} from '@fms/db/queries/settings'
import type { DbDeps } from '../context.ts'
import { notFound } from '../errors.ts'
import {
  mergeSettings,
  type TDisplaySettings,
  type TUpdateMySettingsInput,
  type TUpdateSettingsInput,
} from '../schemas/index.ts'

/** The organization's settings, the caller's overrides, and what applies to the caller. */
export async function findSettings(deps: DbDeps, user: { id: string; orgId: string }) {
  const [organization, mine] = await Promise.all([
    findOrgSettings(deps.db, user.orgId),
    findUserSettings(deps.db, { orgId: user.orgId, id: user.id }),
  ])
  if (!organization || !mine) throw notFound('User')
  return { organization, mine, effective: mergeSettings(organization, mine) }
}

/** The settings that apply to one user, or the organization's without one (emails, reports). */
export async function findEffectiveSettings(
  deps: DbDeps,
  params: { orgId: string; userId: string | null },
): Promise<TDisplaySettings> {
  const organization = await findOrgSettings(deps.db, params.orgId)
  if (!organization) throw notFound('Organization')
  const mine = params.userId
    ? await findUserSettings(deps.db, { orgId: params.orgId, id: params.userId })
    : null
  return mergeSettings(organization, mine)
}

export async function updateSettings(
  deps: DbDeps,
  user: { id: string; orgId: string },
  input: TUpdateSettingsInput,
) {
  if (Object.keys(input).length > 0)
    await updateOrgSettings(deps.db, { orgId: user.orgId, patch: input })
  return findSettings(deps, user)
}

export async function updateMySettings(
  deps: DbDeps,
  user: { id: string; orgId: string },
  input: TUpdateMySettingsInput,
) {
  if (Object.keys(input).length > 0) {
    await updateUserSettings(deps.db, { orgId: user.orgId, id: user.id, patch: input })
  }
  return findSettings(deps, user)
}
