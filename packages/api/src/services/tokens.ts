import { generateDeviceToken } from '@fms/auth'
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  rotateApiToken,
  updateApiToken,
} from '@fms/db/queries/api-tokens'
import type { ApiDeps, DbDeps } from '../context.ts'
import type { TCreateTokenInput, TListTokensInput, TUpdateTokenInput } from '../schemas/index.ts'
import { mapDbErrors, orNotFound } from './db-errors.ts'

/** After `tokens.rotate`, the previous secret keeps working this long unless configured. */
const DEFAULT_ROTATION_GRACE_SEC = 86_400

export function listOrgTokens(deps: DbDeps, orgId: string, input: TListTokensInput) {
  return mapDbErrors(listApiTokens(deps.db, { ...input, orgId }))
}

/** A new device token; the answer is the only time its secret is ever shown. */
export async function createOrgToken(
  deps: DbDeps,
  user: { id: string; orgId: string },
  input: TCreateTokenInput,
) {
  const generated = generateDeviceToken()
  const token = await createApiToken(deps.db, {
    orgId: user.orgId,
    title: input.title,
    description: input.description,
    prefix: generated.prefix,
    tokenHash: generated.hash,
    createdBy: user.id,
  })
  return { ...token, secret: generated.token }
}

export function updateOrgToken(deps: DbDeps, orgId: string, input: TUpdateTokenInput) {
  const { id, ...patch } = input
  return orNotFound(updateApiToken(deps.db, { orgId, id, patch }), 'Token')
}

/**
 * A new secret, shown this once; the previous one keeps working for the grace window
 * (`deviceTokenRotationGraceSec`). Rotating again within it ends the older secret at once.
 * A revoked token is NOT_FOUND, like another organization's.
 */
export async function rotateOrgToken(
  deps: Pick<ApiDeps, 'db' | 'deviceTokenRotationGraceSec'>,
  orgId: string,
  id: string,
) {
  const generated = generateDeviceToken()
  const token = await orNotFound(
    rotateApiToken(deps.db, {
      orgId,
      id,
      prefix: generated.prefix,
      tokenHash: generated.hash,
      graceSec: deps.deviceTokenRotationGraceSec ?? DEFAULT_ROTATION_GRACE_SEC,
    }),
    'Token',
  )
  return { ...token, secret: generated.token }
}

export function revokeOrgToken(deps: DbDeps, orgId: string, id: string) {
  return orNotFound(revokeApiToken(deps.db, { orgId, id }), 'Token')
}
