import { z } from 'zod'
import { ZTwoFactorCodeInput, ZTwoFactorPolicyInput } from '../schemas/index.ts'
import {
  confirmTwoFactor,
  describeTwoFactor,
  disableTwoFactor,
  enrolTwoFactor,
  readTwoFactorPolicy,
  updateTwoFactorPolicy,
} from '../services/two-factor.ts'
import { adminProcedure, protectedProcedure, router } from '../trpc.ts'

const ZPolicy = z.object({ requireForAdmins: z.boolean() })

/** The caller's own two-factor sign-in (TOTP), and the organization's policy for admins. */
export const twoFactorRouter = router({
  status: protectedProcedure
    .output(
      z.object({
        isEnabled: z.boolean(),
        recoveryCodesLeft: z.number(),
        isRequiredForAdmins: z.boolean(),
      }),
    )
    .query(({ ctx }) => describeTwoFactor({ db: ctx.db }, ctx.user)),
  /** A new secret with its QR code; active only once confirmed with a code. */
  enrol: protectedProcedure
    .output(z.object({ secret: z.string(), uri: z.string(), qrCodeDataUrl: z.string() }))
    .mutation(({ ctx }) => enrolTwoFactor({ db: ctx.db, secretKey: ctx.secretKey }, ctx.user)),
  /** Turns it on; answers the ten recovery codes, the only time they are shown. */
  confirm: protectedProcedure
    .input(ZTwoFactorCodeInput)
    .output(z.object({ recoveryCodes: z.array(z.string()) }))
    .mutation(({ ctx, input }) =>
      confirmTwoFactor({ db: ctx.db, secretKey: ctx.secretKey }, ctx.user, input),
    ),
  disable: protectedProcedure
    .input(ZTwoFactorCodeInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) =>
      disableTwoFactor({ db: ctx.db, secretKey: ctx.secretKey }, ctx.user, input),
    ),
  policy: adminProcedure
    .output(ZPolicy)
    .query(({ ctx }) => readTwoFactorPolicy({ db: ctx.db }, ctx.user.orgId)),
  setPolicy: adminProcedure
    .input(ZTwoFactorPolicyInput)
    .output(ZPolicy)
    .mutation(({ ctx, input }) => updateTwoFactorPolicy({ db: ctx.db }, ctx.user.orgId, input)),
})
