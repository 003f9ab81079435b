import type { AuditChanges } from '@fms/db/schema'

/** What a redacted value is written as. */
export const REDACTED = '[redacted]'

/**
 * Field names whose values are never recorded, whatever they hold: passwords, secrets, hashes,
 * tokens, one-time codes and keys. Matched on the lower-cased name with `_` and `-` removed;
 * names ending in `id`/`ids` (a reference such as `tokenId`) are kept, their values still checked.
 */
const SECRET_NAME =
  /(password|passwd|secret|token|hash|otp|totp|recovery|credential|apikey|privatekey|signature|cookie|authorization|challenge|nonce|verifier|browser)/

/**
 * Values that look like a credential wherever they appear: FMS tokens (`fmd_…`, `fmk_…`, share
 * links), JWTs, otpauth URIs, URLs with a password, and long unbroken base64/hex runs (a uuid is
 * not one: it has dashes every few characters).
 */
const SECRET_VALUE = [
  /\bfm[a-z]_[A-Za-z0-9_-]{6,}/,
  // Share-link tokens, also inside the link's path and URL (base64url: the run below misses `-`).
  /\bfsl_[A-Za-z0-9_-]{20,}/,
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  /otpauth:\/\//i,
  /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i,
  /[A-Za-z0-9+/_=]{32,}/,
]

const MAX_DEPTH = 4
const MAX_ARRAY = 50
const MAX_STRING = 500
const MAX_KEYS = 100

export function isSecretName(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[_-]/g, '')
  if (/ids?$/.test(normalized) && normalized !== 'ids') return false
  return SECRET_NAME.test(normalized)
}

export function looksLikeSecret(value: string): boolean {
  return SECRET_VALUE.some((pattern) => pattern.test(value))
}

/**
 * A copy of `value` safe to store in the audit log: secret fields and secret-looking strings
 * replaced by `[redacted]`, dates as ISO text, depth, arrays, keys and strings bounded (the input
 * of a call is hostile and may be huge).
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (typeof value === 'string') {
    if (looksLikeSecret(value)) return REDACTED
    return boundText(value, MAX_STRING)
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'boolean') return value
  if (typeof value === 'bigint') return value.toString()
  if (typeof value !== 'object' || depth >= MAX_DEPTH) return null
  if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((item) => redact(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value).slice(0, MAX_KEYS)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue
    out[boundText(key, 100)] = isSecretName(key) ? REDACTED : redact(item, depth + 1)
  }
  return out
}

/**
 * Text safe to store: NUL (which PostgreSQL text and jsonb refuse) replaced, at most `max`
 * characters.
 */
export function boundText(value: string, max: number): string {
  const text = value.replaceAll('\0', '\uFFFD')
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  )
}

/**
 * The fields that differ between `before` and `after` (either may be null: created or removed),
 * both sides redacted. Left out: `updatedAt` (it changes with every write) and secret fields (even
 * their redacted form says nothing).
 */
export function diffFields(before: unknown, after: unknown): AuditChanges | null {
  const left = isPlainObject(before) ? (redact(before) as Record<string, unknown>) : null
  const right = isPlainObject(after) ? (redact(after) as Record<string, unknown>) : null
  if (!left && !right) return null
  const changes: AuditChanges = {}
  // An update compares the fields both sides have (the row read before has columns the answer
  // leaves out); a create or a removal lists every field of the side that exists.
  const keys =
    left && right
      ? Object.keys(right).filter((key) => key in left)
      : Object.keys(left ?? right ?? {})
  for (const key of keys) {
    if (key === 'updatedAt' || isSecretName(key)) continue
    const was = left ? (left[key] ?? null) : null
    const is = right ? (right[key] ?? null) : null
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[key] = { before: was, after: is }
  }
  return Object.keys(changes).length > 0 ? changes : null
}
