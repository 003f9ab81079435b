/** A licence expiring within this many days is flagged before it runs out. */
export const LICENCE_WARNING_DAYS = 30

const DAY_MS = 86_400_000

/** Where a licence stands on `today`: `expired`, `expiring` (within the warning days) or `valid`. */
export type TLicenceState = 'expired' | 'expiring' | 'valid'

/**
 * The state of a licence whose last valid day is `expiry` (YYYY-MM-DD), seen on the local date
 * `today` (YYYY-MM-DD); null when no expiry is known. Calendar dates only: no time zone moves them.
 */
export function classifyLicence(expiry: string | null, today: string): TLicenceState | null {
  if (!expiry) return null
  if (expiry < today) return 'expired'
  const daysLeft = (Date.parse(`${expiry}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS
  return daysLeft <= LICENCE_WARNING_DAYS ? 'expiring' : 'valid'
}

export const LICENCE_LABELS: Record<TLicenceState, string> = {
  expired: 'Expired',
  expiring: `Expires within ${LICENCE_WARNING_DAYS} days`,
  valid: 'Valid',
}
