import { randomBytes } from 'node:crypto'
import { authenticator } from 'otplib'
import { hashOpaqueToken } from './opaque-tokens.ts'

/** RFC 6238 with the parameters every authenticator app uses: SHA-1, 6 digits, 30 s steps. */
const STEP_SEC = 30
/** One step either side is accepted: a phone clock a little off, a code typed at the turn. */
const WINDOW = 1

const totp = authenticator.clone({ step: STEP_SEC, window: WINDOW, digits: 6 })

/** A new TOTP secret (160 random bits, base32 as authenticator apps take it). */
export function generateTotpSecret(): string {
  return totp.generateSecret(20)
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function totpUri(params: { secret: string; account: string; issuer: string }): string {
  return totp.keyuri(params.account, params.issuer, params.secret)
}

/** The code for `secret` at `now` (tests, and nothing else). */
export function totpCodeAt(secret: string, now: number): string {
  const clone = totp.clone({ epoch: now })
  return clone.generate(secret)
}

/**
 * The time step a code matches (within one step either side of `now`), or null. A code whose step
 * is not after `lastStep` is refused: each code works once, and no older code works after a newer
 * one was used.
 */
export function matchTotpStep(params: {
  secret: string
  code: string
  lastStep: number | null
  now?: number
}): number | null {
  const now = params.now ?? Date.now()
  if (!/^\d{6}$/.test(params.code)) return null
  const delta = totp.clone({ epoch: now }).checkDelta(params.code, params.secret)
  if (delta === null) return null
  const step = Math.floor(now / 1000 / STEP_SEC) + delta
  if (params.lastStep !== null && step <= params.lastStep) return null
  return step
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
export const RECOVERY_CODE_COUNT = 10

/** Ten single-use recovery codes (`xxxxx-xxxxx`, 50 bits each) and the digests to store. */
export function generateRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes: string[] = []
  for (let i = 0; i < RECOVERY_CODE_COUNT; i++) {
    const bytes = randomBytes(10)
    let code = ''
    for (const byte of bytes) code += RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]
    codes.push(`${code.slice(0, 5)}-${code.slice(5)}`)
  }
  return { codes, hashes: codes.map(hashRecoveryCode) }
}

/** The stored form of a recovery code: case and spacing as typed don't matter. */
export function hashRecoveryCode(code: string): string {
  return hashOpaqueToken(`recovery:${code.trim().toLowerCase().replace(/[\s-]/g, '')}`)
}
