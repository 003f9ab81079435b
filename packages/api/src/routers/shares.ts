import { z } from 'zod'
import {
  ZCreateShareInput,
  ZIdInput,
  ZListSharesInput,
  ZSharedLiveInput,
} from '../schemas/index.ts'
import { liveSharedPositions } from '../services/shared-live.ts'
import { createOrgShare, listOrgShares, revokeOrgShare, viewShare } from '../services/shares.ts'
import { protectedProcedure, router, shareProcedure } from '../trpc.ts'

/** A share link as its makers see it; never the token's digest. */
const ZShareLink = z.object({
  id: z.string(),
  orgId: z.string(),
  createdBy: z.string(),
  name: z.string().nullable(),
  vehicleIds: z.array(z.string()),
  historyFrom: z.date(),
  expiresAt: z.date(),
  revokedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  token: z.string(),
  /** The full address when the server knows its public URL (`PUBLIC_URL`), else null. */
  url: z.string().nullable(),
  /** `/#/share/<token>`, to put after the web app's address. */
  path: z.string(),
  isActive: z.boolean(),
})

/**
 * Share links, made by signed-in users: any user may share vehicles they can see; a user lists and
 * revokes their own links, an admin every link of the organization.
 */
export const sharesRouter = router({
  list: protectedProcedure
    .input(ZListSharesInput)
    .output(z.object({ items: z.array(ZShareLink), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listOrgShares(ctx, ctx.user, input)),
  create: protectedProcedure
    .input(ZCreateShareInput)
    .output(ZShareLink)
    .mutation(({ ctx, input }) => createOrgShare(ctx, ctx.user, input)),
  revoke: protectedProcedure
    .input(ZIdInput)
    .output(ZShareLink)
    .mutation(({ ctx, input }) => revokeOrgShare(ctx, ctx.user, input.id)),
})

const ZSharedVehicle = z.object({
  vehicleId: z.string(),
  code: z.string(),
  plate: z.string().nullable(),
  time: z.date().nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  speed: z.number().nullable(),
  heading: z.number().nullable(),
})

/**
 * What a share link's viewer may call, with the link's token in place of an access token. The
 * link reaches its own vehicles' positions from its start on, and nothing else.
 */
export const sharedRouter = router({
  view: shareProcedure
    .output(
      z.object({
        name: z.string().nullable(),
        /** The sharing organization's distance unit: speeds show in km/h or mph by it. */
        distanceUnit: z.enum(['km', 'mi']),
        expiresAt: z.date(),
        historyFrom: z.date(),
        lastEventId: z.string(),
        vehicles: z.array(ZSharedVehicle),
      }),
    )
    .query(({ ctx }) => viewShare(ctx, ctx.share)),
  live: shareProcedure
    .input(ZSharedLiveInput)
    .subscription(({ ctx, input, signal }) =>
      liveSharedPositions(ctx, ctx.share, input.lastEventId, signal),
    ),
})
