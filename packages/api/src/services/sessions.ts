import type { Database } from '@fms/db'
import {
  isUserRefreshFamily,
  listOtherLiveFamilies,
  listUserSessions,
  lockRefreshFamily,
  revokeRefreshFamily,
} from '@fms/db/queries/refresh-tokens'
import { notFound } from '../errors.ts'

/** The signed-in caller: the user, and the session (refresh-token family) of their access token. */
export interface SessionCaller {
  userId: string
  /** Null for an access token issued before tokens carried `sid`, or an API key. */
  sessionId: string | null
}

const MAX_DEVICE_LENGTH = 80

const BROWSERS: ReadonlyArray<[RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bCriOS\/|\b(?:Headless)?Chrom(?:e|ium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
]

const SYSTEMS: ReadonlyArray<[RegExp, string]> = [
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b|\biPad\b|\biPod\b/, 'iOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

/**
 * A short description of the client from its User-Agent: "Firefox on Linux" for the browsers and
 * systems we know, else the raw header cut to 80 characters with control characters removed;
 * "Unknown device" when there is none. (Shown as text: the web app never renders it as HTML.)
 */
export function describeDevice(userAgent: string | null): string {
  const ua = (userAgent ?? '').replace(/\p{Cc}/gu, ' ').trim()
  if (!ua) return 'Unknown device'
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1]
  if (browser && system) return `${browser} on ${system}`
  if (browser) return browser
  return ua.length > MAX_DEVICE_LENGTH ? `${ua.slice(0, MAX_DEVICE_LENGTH - 1)}…` : ua
}

/** The caller's live sessions (devices signed in), the caller's own marked `isCurrent`. */
export async function listSessions(db: Database, caller: SessionCaller) {
  const rows = await listUserSessions(db, caller.userId)
  return rows.map((row) => ({
    id: row.familyId,
    device: describeDevice(row.userAgent),
    userAgent: row.userAgent,
    clientIp: row.clientIp,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    isCurrent: row.familyId === caller.sessionId,
  }))
}

/**
 * Ends one of the caller's sessions: its refresh token stops working at once, and so do its access
 * tokens (they carry the family as `sid`; see `authenticateAccessToken`). Another user's session
 * is NOT_FOUND, as is an unknown id; an already ended one of the caller's is a no-op.
 */
export async function revokeSession(db: Database, caller: SessionCaller, id: string) {
  if (!(await isUserRefreshFamily(db, { userId: caller.userId, familyId: id }))) {
    throw notFound('Session')
  }
  await db.transaction(async (tx) => {
    // The family's lock first, as refresh takes it: a refresh racing this sees the revocation.
    await lockRefreshFamily(tx, id)
    await revokeRefreshFamily(tx, id)
  })
  return { ok: true as const, isCurrent: id === caller.sessionId }
}

/** Ends every session of the caller but the one making the call; answers how many ended. */
export async function revokeOtherSessions(db: Database, caller: SessionCaller) {
  const families = await listOtherLiveFamilies(db, {
    userId: caller.userId,
    keepFamilyId: caller.sessionId,
  })
  for (const familyId of families) {
    await db.transaction(async (tx) => {
      await lockRefreshFamily(tx, familyId)
      await revokeRefreshFamily(tx, familyId)
    })
  }
  return { revoked: families.length }
}
