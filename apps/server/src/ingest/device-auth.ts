import { parseDeviceToken, verifyDeviceToken } from '@fms/auth'
import type { Database } from '@fms/db'
import { findActiveApiTokenByPrefix, touchApiTokens } from '@fms/db/queries/api-tokens'
import { findDevicesByToken } from '@fms/db/queries/devices'

export interface LinkedDevice {
  id: string
  externalId: string | null
  vehicleId: string | null
  isActive: boolean
}

/** What a valid device token may do: post for these devices of this organization. */
export interface DeviceIdentity {
  tokenId: string
  orgId: string
  devices: Map<string, LinkedDevice>
  devicesByExternalId: Map<string, LinkedDevice>
}

/** A token's devices are re-read at most this often when a request names a device not known. */
const MIN_RELOAD_MS = 1000

interface CacheEntry {
  tokenHash: string
  identity: DeviceIdentity | null
  /** When the entry is re-read. */
  expiresAt: number
  loadedAt: number
  /** When the secret stops working: a rotated token's previous secret at its grace end. */
  validUntil: number
}

/**
 * Device token verification for the ingestion hot path. A token's record and its linked devices
 * are cached for `ttlMs`, so a busy device costs no query per request; a revoked token or a
 * re-linked device takes effect within that time. A rotated token's previous secret is cached
 * with the end of its grace and refused from that moment on, however young the entry (an entry
 * read before the rotation learns of it within `ttlMs`, like a revocation).
 * `last_used_at` is collected in memory and written in one batch every `flushMs`.
 */
export class DeviceAuthenticator {
  private readonly cache = new Map<string, CacheEntry>()
  private readonly lastUsed = new Map<string, Date>()
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly db: Database,
    private readonly options: { ttlMs: number; flushMs: number; maxEntries?: number },
  ) {
    this.timer = setInterval(() => void this.flushLastUsed().catch(() => {}), options.flushMs)
    this.timer.unref()
  }

  /** The identity for a presented token, or null for any kind of bad token. */
  async authenticate(token: string | null): Promise<DeviceIdentity | null> {
    if (!token) return null
    const parsed = parseDeviceToken(token)
    if (!parsed) return null
    const now = Date.now()
    let entry = this.cache.get(parsed.prefix)
    if (!entry || entry.expiresAt <= now) {
      const stale = entry
      try {
        entry = await this.load(parsed.prefix, now)
      } catch (error) {
        // Database unreachable: a token verified before keeps working (its points will wait for
        // the database like everyone's); an unknown one can't be checked, so the error stands.
        if (!stale) throw error
        entry = stale
      }
    }
    if (!entry.identity || !accepts(entry, token, now)) return null
    this.lastUsed.set(entry.identity.tokenId, new Date(now))
    return entry.identity
  }

  /**
   * The identity again, re-read from the database when the cached one is older than a second:
   * for a request naming a device the cache doesn't know (e.g. linked a moment ago). Bounded, so
   * unknown ids can't make every request hit the database.
   */
  async refresh(token: string, identity: DeviceIdentity): Promise<DeviceIdentity> {
    const parsed = parseDeviceToken(token)
    const entry = parsed ? this.cache.get(parsed.prefix) : undefined
    if (!parsed || !entry || Date.now() - entry.loadedAt < MIN_RELOAD_MS) return identity
    const now = Date.now()
    const fresh = await this.load(parsed.prefix, now)
    return fresh.identity && accepts(fresh, token, now) ? fresh.identity : identity
  }

  /** Forgets cached tokens, e.g. after a revocation in this process. */
  invalidate(): void {
    this.cache.clear()
  }

  async flushLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0) return
    const batch = new Map(this.lastUsed)
    this.lastUsed.clear()
    await touchApiTokens(this.db, batch)
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.flushLastUsed().catch(() => {})
  }

  private async load(prefix: string, now: number): Promise<CacheEntry> {
    const token = await findActiveApiTokenByPrefix(this.db, prefix, new Date(now))
    const validUntil = token?.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY
    // Unknown prefixes are cached too (with a digest nothing matches), so guessing costs no query.
    const entry: CacheEntry = {
      tokenHash: token?.tokenHash ?? '',
      identity: null,
      expiresAt: Math.min(now + this.options.ttlMs, validUntil),
      loadedAt: now,
      validUntil,
    }
    if (token) {
      const rows = await findDevicesByToken(this.db, { orgId: token.orgId, tokenId: token.id })
      const devices = new Map<string, LinkedDevice>()
      const devicesByExternalId = new Map<string, LinkedDevice>()
      for (const row of rows) {
        const device = { ...row, isActive: row.status === 'active' }
        devices.set(row.id, device)
        if (row.externalId) devicesByExternalId.set(row.externalId, device)
      }
      entry.identity = { tokenId: token.id, orgId: token.orgId, devices, devicesByExternalId }
    }
    if (this.cache.size >= (this.options.maxEntries ?? 50_000)) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
    this.cache.set(prefix, entry)
    return entry
  }
}

/** Whether `token` is the entry's secret and still within its validity at `now`. */
function accepts(entry: CacheEntry, token: string, now: number): boolean {
  return now < entry.validUntil && verifyDeviceToken(token, entry.tokenHash)
}
