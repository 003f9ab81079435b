import { z } from 'zod'
import { NO_NUL, NO_NUL_ERROR } from './common.ts'

export const USER_ROLES = ['admin', 'user'] as const
export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 256

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { error: 'At most 254 characters' })
  .pipe(z.email({ error: 'Enter a valid email address' }))

export const ZPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { error: `At least ${PASSWORD_MIN_LENGTH} characters` })
  .max(PASSWORD_MAX_LENGTH, { error: `At most ${PASSWORD_MAX_LENGTH} characters` })

export const ZRole = z.enum(USER_ROLES)

export const ZRegisterInput = z.object({
  email: ZEmail,
  password: ZPassword,
  orgName: z
    .string()
    .trim()
    .min(1, { error: 'Enter the organization name' })
    .max(100, { error: 'At most 100 characters' })
    .regex(NO_NUL, NO_NUL_ERROR),
})
export type TRegisterInput = z.infer<typeof ZRegisterInput>

export const ZLoginInput = z.object({
  email: ZEmail,
  // Not the full password policy: a login only checks what was stored.
  password: z.string().min(1, { error: 'Enter your password' }).max(PASSWORD_MAX_LENGTH),
})
export type TLoginInput = z.infer<typeof ZLoginInput>

export const ZRefreshInput = z.object({ refreshToken: z.string().min(1).max(200) })
export type TRefreshInput = z.infer<typeof ZRefreshInput>

/** A token from an emailed link (base64url; bounded so junk is refused before hashing). */
const ZLinkToken = z.string().trim().min(1, { error: 'The link has no token' }).max(200)

export const ZVerifyEmailInput = z.object({ token: ZLinkToken })
export type TVerifyEmailInput = z.infer<typeof ZVerifyEmailInput>

export const ZRequestPasswordResetInput = z.object({ email: ZEmail })
export type TRequestPasswordResetInput = z.infer<typeof ZRequestPasswordResetInput>

export const ZResetPasswordInput = z.object({ token: ZLinkToken, password: ZPassword })
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>

/** A 6-digit TOTP code, or (where a recovery code is taken too) a recovery code. */
export const ZTwoFactorCodeInput = z.object({
  otp: z
    .string()
    .trim()
    .min(6, { error: 'Enter the code from your app' })
    .max(20, { error: 'Enter the code from your app' }),
})
export type TTwoFactorCodeInput = z.infer<typeof ZTwoFactorCodeInput>

export const ZSecondFactorInput = z
  .object({
    challenge: z.string().min(1).max(200),
    otp: z
      .string()
      .trim()
      .regex(/^\d{6}$/, { error: 'Six digits' })
      .optional(),
    recoveryCode: z.string().trim().min(1).max(40).optional(),
  })
  .refine((input) => (input.otp === undefined) !== (input.recoveryCode === undefined), {
    error: 'Enter a code from your app or a recovery code',
    path: ['otp'],
  })
export type TSecondFactorInput = z.infer<typeof ZSecondFactorInput>

export const ZTwoFactorPolicyInput = z.object({ requireForAdmins: z.boolean() })
