import {
  generateRecoveryCodes,
  generateTotpSecret,
  hashOpaqueToken,
  hashRecoveryCode,
  matchTotpStep,
  openSecret,
  sealSecret,
  totpUri,
} from '@fms/auth'
import {
  advanceTotpStep,
  consumeLoginChallenge,
  countUnusedRecoveryCodes,
  disableTotp,
  failLoginChallenge,
  findLoginChallenge,
  findTwoFactorPolicy,
  findTwoFactorState,
  replaceRecoveryCodes,
  setPendingTotpSecret,
  setTwoFactorPolicy,
  useRecoveryCode,
} from '@fms/db/queries/two-factor'
import { findSessionUser } from '@fms/db/queries/users'
import QRCode from 'qrcode'
import type { ApiDeps, DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import { addressKey } from '../rate-limit.ts'
import type { TSecondFactorInput, TTwoFactorCodeInput } from '../schemas/index.ts'
import { type AuthDeps, authLimits, issueSession, releaseAttempt, reserveAttempt } from './auth.ts'

const ISSUER = 'FMS'
/** Wrong answers one challenge takes before it is gone (sign in again). */
const CHALLENGE_MAX_ATTEMPTS = 5
/** Code attempts per account in the sign-in window (the password's limits apply before). */
const CODE_ATTEMPTS_PER_ACCOUNT = 10
const INVALID_CODE = 'Invalid code'
const INVALID_CHALLENGE = 'This sign-in has expired; sign in again'

interface Caller {
  id: string
  email: string
}

function requireKey(deps: Pick<ApiDeps, 'secretKey'>): Buffer {
  if (!deps.secretKey) {
    throw new AppError('PRECONDITION_FAILED', 'Two-factor sign-in is not set up on this server')
  }
  return deps.secretKey
}

export async function describeTwoFactor(deps: DbDeps, caller: Caller & { orgId: string }) {
  const state = await findTwoFactorState(deps.db, caller.id)
  const policy = await findTwoFactorPolicy(deps.db, caller.orgId)
  return {
    isEnabled: state?.totpEnabledAt != null,
    recoveryCodesLeft: state?.totpEnabledAt
      ? await countUnusedRecoveryCodes(deps.db, caller.id)
      : 0,
    isRequiredForAdmins: policy.requireForAdmins,
  }
}

/**
 * Starts enrolment: a new secret, stored sealed and not yet active, with its otpauth URI and QR
 * code (an SVG data URL). CONFLICT when two-factor sign-in is already on (disable it first).
 */
export async function enrolTwoFactor(deps: Pick<ApiDeps, 'db' | 'secretKey'>, caller: Caller) {
  const key = requireKey(deps)
  const secret = generateTotpSecret()
  const isSet = await setPendingTotpSecret(deps.db, {
    userId: caller.id,
    sealedSecret: sealSecret(key, secret),
  })
  if (!isSet) throw new AppError('CONFLICT', 'Two-factor sign-in is already on')
  const uri = totpUri({ secret, account: caller.email, issuer: ISSUER })
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  return {
    secret,
    uri,
    qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  }
}

/** The step a TOTP code matches for this user (not replayed), recorded as used; or null. */
async function useTotpCode(
  deps: Pick<ApiDeps, 'db' | 'secretKey'>,
  userId: string,
  code: string,
  options: { enable?: boolean } = {},
): Promise<boolean> {
  const state = await findTwoFactorState(deps.db, userId)
  if (!state?.totpSecret) return false
  const secret = openSecret(requireKey(deps), state.totpSecret)
  const step = matchTotpStep({ secret, code, lastStep: state.totpLastStep })
  if (step === null) return false
  return advanceTotpStep(deps.db, { userId, step, ...options })
}

/** Confirms enrolment with a code from the app: only now is it on. Answers the recovery codes, once. */
export async function confirmTwoFactor(
  deps: Pick<ApiDeps, 'db' | 'secretKey'>,
  caller: Caller,
  input: TTwoFactorCodeInput,
) {
  const state = await findTwoFactorState(deps.db, caller.id)
  if (state?.totpEnabledAt) throw new AppError('CONFLICT', 'Two-factor sign-in is already on')
  if (!state?.totpSecret) throw new AppError('BAD_REQUEST', 'Start the set-up first')
  return deps.db.transaction(async (tx) => {
    if (!(await useTotpCode({ ...deps, db: tx }, caller.id, input.otp, { enable: true }))) {
      throw new AppError('BAD_REQUEST', INVALID_CODE, { fieldErrors: { otp: [INVALID_CODE] } })
    }
    const { codes, hashes } = generateRecoveryCodes()
    await replaceRecoveryCodes(tx, { userId: caller.id, hashes })
    return { recoveryCodes: codes }
  })
}

/** Turns two-factor sign-in off; takes a current code (or a recovery code). */
export async function disableTwoFactor(
  deps: Pick<ApiDeps, 'db' | 'secretKey'>,
  caller: Caller,
  input: TTwoFactorCodeInput,
) {
  const state = await findTwoFactorState(deps.db, caller.id)
  if (!state?.totpEnabledAt) throw new AppError('BAD_REQUEST', 'Two-factor sign-in is off')
  const isValid =
    (await useTotpCode(deps, caller.id, input.otp)) ||
    (await useRecoveryCode(deps.db, { userId: caller.id, codeHash: hashRecoveryCode(input.otp) }))
  if (!isValid) {
    throw new AppError('BAD_REQUEST', INVALID_CODE, { fieldErrors: { otp: [INVALID_CODE] } })
  }
  await deps.db.transaction((tx) => disableTotp(tx, caller.id))
  return { ok: true as const }
}

/**
 * The second step of a sign-in: the challenge `auth.login` answered and a TOTP code or a recovery
 * code. Throttled like the password (per account, per address, reserved before checking), and
 * each challenge takes five wrong answers at most; a used code can't be used again.
 */
export async function verifySecondFactor(
  deps: AuthDeps,
  input: TSecondFactorInput,
  clientIp: string | null,
) {
  const challenge = await findLoginChallenge(deps.db, hashOpaqueToken(input.challenge))
  if (!challenge) throw new AppError('UNAUTHORIZED', INVALID_CHALLENGE)
  const limits = authLimits(deps)
  const windowMs = limits.loginWindowMs
  const rules = [
    { key: `2fa:account:${challenge.userId}`, limit: CODE_ATTEMPTS_PER_ACCOUNT, windowMs },
    ...(clientIp
      ? [{ key: `login:address:${addressKey(clientIp)}`, limit: limits.loginPerAddress, windowMs }]
      : []),
  ]
  await reserveAttempt(deps, rules, 'Too many sign-in attempts; try again later')
  const isValid = input.otp
    ? await useTotpCode(deps, challenge.userId, input.otp)
    : await useRecoveryCode(deps.db, {
        userId: challenge.userId,
        codeHash: hashRecoveryCode(input.recoveryCode ?? ''),
      })
  if (!isValid) {
    await failLoginChallenge(deps.db, { id: challenge.id, maxAttempts: CHALLENGE_MAX_ATTEMPTS })
    throw new AppError('UNAUTHORIZED', INVALID_CODE)
  }
  if (!(await consumeLoginChallenge(deps.db, challenge.id))) {
    throw new AppError('UNAUTHORIZED', INVALID_CHALLENGE)
  }
  await releaseAttempt(deps, rules)
  const user = await findSessionUser(deps.db, challenge.userId)
  if (!user) throw new AppError('UNAUTHORIZED', INVALID_CHALLENGE)
  return {
    status: 'signed_in' as const,
    ...(await issueSession(deps, user)),
    isTwoFactorSetupRequired: false,
  }
}

export function readTwoFactorPolicy(deps: DbDeps, orgId: string) {
  return findTwoFactorPolicy(deps.db, orgId)
}

export function updateTwoFactorPolicy(
  deps: DbDeps,
  orgId: string,
  input: { requireForAdmins: boolean },
) {
  return setTwoFactorPolicy(deps.db, { orgId, ...input })
}
