import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'

const REFRESH_TOKEN_PREFIX = 'fmr_'
const DEVICE_TOKEN_PREFIX = 'fmd_'
const API_KEY_PREFIX = 'fmk_'
const SECRET_BYTES = 32
const LOOKUP_PREFIX_LENGTH = 8
const LOOKUP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * `<kind>` + 8 alphanumerics + `_` + 32 bytes as unpadded base64url (43 characters). The last
 * character carries 4 bits plus 2 zero bits, so only 16 values are canonical; any other spelling
 * of the same bytes is refused rather than silently accepted.
 */
const PREFIXED_TOKEN_PATTERN = /^(fm[dk]_)([A-Za-z0-9]{8})_[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/
const PREFIXED_TOKEN_LENGTH = DEVICE_TOKEN_PREFIX.length + LOOKUP_PREFIX_LENGTH + 1 + 43

function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url')
}

/** Uniform over the alphabet: `randomInt` rejects biased draws instead of using a modulo. */
function generateLookupPrefix(): string {
  let prefix = ''
  for (let i = 0; i < LOOKUP_PREFIX_LENGTH; i++) {
    prefix += LOOKUP_ALPHABET[randomInt(LOOKUP_ALPHABET.length)]
  }
  return prefix
}

/**
 * SHA-256 hex digest of a high-entropy token, the form in which opaque tokens are stored.
 * A fast hash is enough here: the input is 256 random bits, not a guessable password.
 */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** A new refresh token (`fmr_` + 32 random bytes); store only `hash`, hand `token` out once. */
export function generateRefreshToken(): { token: string; hash: string } {
  const token = `${REFRESH_TOKEN_PREFIX}${generateSecret()}`
  return { token, hash: hashOpaqueToken(token) }
}

/** `<kind><lookup prefix>_<secret>` with its lookup prefix and digest. */
function generatePrefixedToken(kind: string): { token: string; prefix: string; hash: string } {
  const prefix = generateLookupPrefix()
  const token = `${kind}${prefix}_${generateSecret()}`
  return { token, prefix, hash: hashOpaqueToken(token) }
}

/** The lookup prefix of a well-formed token of `kind`, or `null` for anything else. */
function parsePrefixedToken(kind: string, token: string): { prefix: string } | null {
  if (typeof token !== 'string' || token.length !== PREFIXED_TOKEN_LENGTH) return null
  const match = PREFIXED_TOKEN_PATTERN.exec(token)
  return match?.[1] === kind && match[2] ? { prefix: match[2] } : null
}

/** Whether a token of `kind` has the digest `storedHash`, compared in constant time. */
function verifyPrefixedToken(kind: string, token: string, storedHash: string): boolean {
  if (typeof storedHash !== 'string' || parsePrefixedToken(kind, token) === null) return false
  const actual = Buffer.from(hashOpaqueToken(token), 'utf8')
  const expected = Buffer.from(storedHash, 'utf8')
  if (actual.length !== expected.length) return false
  return timingSafeEqual(actual, expected)
}

/**
 * A new device token `fmd_<prefix>_<secret>`. `prefix` is the lookup key stored in clear,
 * `hash` the digest of the whole token; the token itself is shown once and never stored.
 */
export function generateDeviceToken(): { token: string; prefix: string; hash: string } {
  return generatePrefixedToken(DEVICE_TOKEN_PREFIX)
}

/** The lookup prefix of a well-formed device token, or `null` for anything else. */
export function parseDeviceToken(token: string): { prefix: string } | null {
  return parsePrefixedToken(DEVICE_TOKEN_PREFIX, token)
}

/**
 * Whether `token` is the device token whose digest is `storedHash`, compared in constant time.
 * Malformed tokens and hashes of the wrong length are `false`, never an exception.
 */
export function verifyDeviceToken(token: string, storedHash: string): boolean {
  return verifyPrefixedToken(DEVICE_TOKEN_PREFIX, token, storedHash)
}

/**
 * A new integrator API key `fmk_<prefix>_<secret>` (256 random bits), the same shape as a device
 * token: the prefix is the lookup key, the digest is stored, the key is shown once.
 */
export function generateApiKey(): { token: string; prefix: string; hash: string } {
  return generatePrefixedToken(API_KEY_PREFIX)
}

/** Whether a bearer credential is meant as an API key (`fmk_…`), well-formed or not. */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX)
}

/** The lookup prefix of a well-formed API key, or `null` for anything else. */
export function parseApiKey(token: string): { prefix: string } | null {
  return parsePrefixedToken(API_KEY_PREFIX, token)
}

/** Whether `token` is the API key whose digest is `storedHash`, compared in constant time. */
export function verifyApiKey(token: string, storedHash: string): boolean {
  return verifyPrefixedToken(API_KEY_PREFIX, token, storedHash)
}

const SHARE_TOKEN_PREFIX = 'fsl_'
/** `fsl_` + 32 bytes as unpadded base64url, canonical last character (see the device token). */
const SHARE_TOKEN_PATTERN = /^fsl_[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/

/** A share link's random nonce, stored; the token is derived from it (`deriveShareToken`). */
export function generateShareNonce(): string {
  return randomBytes(SECRET_BYTES).toString('base64url')
}

/**
 * A share link's token: `fsl_` + HMAC-SHA256(key, nonce), 256 bits. The server can show the
 * link again from the stored nonce; the database alone (without the key) can't produce it.
 */
export function deriveShareToken(key: string, nonce: string): string {
  return `${SHARE_TOKEN_PREFIX}${createHmac('sha256', key).update(nonce, 'utf8').digest('base64url')}`
}

/** Whether `token` has the form of a share token (says nothing about whether it works). */
export function isShareToken(token: unknown): token is string {
  return typeof token === 'string' && token.length === 47 && SHARE_TOKEN_PATTERN.test(token)
}
