import {
  canManage,
  deriveShareToken,
  generateShareNonce,
  hashOpaqueToken,
  isShareToken,
  type Role,
} from '@fms/auth'
import {
  createShare,
  findActiveShareByDigest,
  findSharedVehicleStates,
  listShares,
  revokeShare,
  type ShareRecord,
} from '@fms/db/queries/shares'
import { findUserById } from '@fms/db/queries/users'
import { filterToScope } from '@fms/db/queries/vehicle-scope'
import { findOrgVehicleIds } from '@fms/db/queries/vehicles'
import type { ApiDeps } from '../context.ts'
import { AppError, notFound } from '../errors.ts'
import { addressKey } from '../rate-limit.ts'
import { sharePath, type TCreateShareInput, type TListSharesInput } from '../schemas/index.ts'
import { resolveVehicleScope } from '../scope.ts'
import { mapDbErrors, orNotFound } from './db-errors.ts'
import { findEffectiveSettings } from './settings.ts'

/** What share links are made with: the key tokens are derived under, the app's public address. */
export type ShareDeps = Pick<ApiDeps, 'db' | 'shareLinkKey' | 'publicUrl'>

/** Who manages links: an admin all of the organization's, a user their own. */
export interface ShareOwner {
  id: string
  orgId: string
  role: Role
}

type ShareRow = ShareRecord

/** A link as its makers see it: the token (derived again, never stored) and where it opens. */
function toShareLink(deps: ShareDeps, row: ShareRow) {
  const { tokenNonce, ...share } = row
  const token = deriveShareToken(deps.shareLinkKey, tokenNonce)
  const path = sharePath(token)
  const now = Date.now()
  return {
    ...share,
    token,
    url: deps.publicUrl ? `${deps.publicUrl.replace(/\/+$/, '')}${path}` : null,
    path,
    isActive: share.revokedAt === null && share.expiresAt.getTime() > now,
  }
}

/**
 * A new link to `input.vehicleIds`, each of which the creator must be able to see (another
 * organization's vehicle is NOT_FOUND). It shows points from its creation on, or from
 * `includeHistoryFrom` when the creator chose an earlier start.
 */
export async function createOrgShare(deps: ShareDeps, owner: ShareOwner, input: TCreateShareInput) {
  const known = await findOrgVehicleIds(deps.db, {
    orgId: owner.orgId,
    vehicleIds: input.vehicleIds,
  })
  if (input.vehicleIds.some((id) => !known.has(id))) throw notFound('Vehicle')
  const nonce = generateShareNonce()
  const row = await createShare(deps.db, {
    orgId: owner.orgId,
    createdBy: owner.id,
    name: input.name ?? null,
    vehicleIds: input.vehicleIds,
    historyFrom: input.includeHistoryFrom ?? new Date(),
    expiresAt: input.expiresAt,
    tokenNonce: nonce,
    tokenDigest: hashOpaqueToken(deriveShareToken(deps.shareLinkKey, nonce)),
  })
  return toShareLink(deps, row)
}

export async function listOrgShares(deps: ShareDeps, owner: ShareOwner, input: TListSharesInput) {
  const page = await mapDbErrors(
    listShares(deps.db, {
      ...input,
      orgId: owner.orgId,
      createdBy: canManage(owner.role) ? undefined : owner.id,
    }),
  )
  return { items: page.items.map((row) => toShareLink(deps, row)), nextCursor: page.nextCursor }
}

/** Ends a link at once (open live views close within seconds). Another's link is NOT_FOUND to a user. */
export async function revokeOrgShare(deps: ShareDeps, owner: ShareOwner, id: string) {
  const row = await orNotFound(
    revokeShare(deps.db, {
      orgId: owner.orgId,
      id,
      createdBy: canManage(owner.role) ? undefined : owner.id,
    }),
    'Share link',
  )
  return toShareLink(deps, row)
}

/** The link a share token opens: what it may show, and until when. */
export type ShareViewer = NonNullable<Awaited<ReturnType<typeof findActiveShareByDigest>>>

/** Failed share lookups per client address and window, before it is refused for a while. */
export const SHARE_LOOKUP_LIMIT = { limit: 30, windowMs: 10 * 60_000 }

/**
 * The working link behind a share token, or null (malformed, unknown, expired, revoked: one
 * answer). Looked up by the token's SHA-256 digest. Failed lookups are counted per client
 * address: past `SHARE_LOOKUP_LIMIT` the address is refused (TOO_MANY_REQUESTS) for a while,
 * although 256-bit tokens can't be guessed anyway. The token is never logged.
 */
export async function authenticateShareToken(
  deps: Pick<ApiDeps, 'db' | 'authLimiter'>,
  token: string | null,
  clientIp: string | null,
): Promise<ShareViewer | null> {
  const key = `share-lookup:${addressKey(clientIp ?? 'unknown')}`
  const retryAfterSec = await deps.authLimiter.reserve([{ key, ...SHARE_LOOKUP_LIMIT }])
  if (retryAfterSec > 0) {
    throw new AppError('TOO_MANY_REQUESTS', 'Too many invalid share links; try again later', {
      retryAfterSec,
    })
  }
  const share = isShareToken(token)
    ? await findActiveShareByDigest(deps.db, hashOpaqueToken(token))
    : null
  if (!share) return null
  await deps.authLimiter.release([key])
  // A link shows no more than its creator may see now: a creator limited to vehicle groups who
  // loses a group (or whose vehicles leave it) no longer shows those vehicles through old links.
  const creator = await findUserById(deps.db, { orgId: share.orgId, id: share.createdBy })
  if (!creator) return null
  const scope = await resolveVehicleScope(deps, creator)
  return { ...share, vehicleIds: filterToScope(scope, share.vehicleIds) }
}

/**
 * What a share link shows: its vehicles with their position at or after the link's start (none
 * before it), and the live stream position to resume from with `shared.live`. Only position
 * readings: a customer sees where the truck is, not its engine data.
 */
export async function viewShare(deps: Pick<ApiDeps, 'db' | 'live'>, share: ShareViewer) {
  const [lastEventId, states, units] = await Promise.all([
    deps.live.latestId(share.orgId),
    findSharedVehicleStates(deps.db, {
      orgId: share.orgId,
      vehicleIds: share.vehicleIds,
      since: share.historyFrom,
    }),
    findEffectiveSettings(deps, { orgId: share.orgId, userId: null }),
  ])
  return {
    name: share.name,
    /** The organization's distance unit: speeds on the page are shown in km/h or mph by it. */
    distanceUnit: units.distanceUnit,
    expiresAt: share.expiresAt,
    historyFrom: share.historyFrom,
    lastEventId,
    vehicles: states.map((state) => ({
      vehicleId: state.vehicleId,
      code: state.code,
      plate: state.plate,
      time: state.time,
      lat: state.lat,
      lon: state.lon,
      speed: state.speed,
      heading: state.heading,
    })),
  }
}
