import { AppError } from '@fms/api/errors'
import type { DeviceIdentity } from './device-auth.ts'
import { TokenBuckets } from './token-bucket.ts'

/**
 * Ingestion rate limits, every one a token bucket (rate per second, burst of twice that):
 * - **per device**: each device its own `ratePerSec`, charged once per request (or MQTT message)
 *   that carries its points, so one device flooding is refused while its neighbours on the same
 *   token carry on;
 * - **per token**, a ceiling of `ratePerSec` times the number of devices the token serves (at
 *   least one), charged once per request whatever it carries: a fleet that behaves never reaches
 *   it; requests that name no device of the token (bad ids, invalid points) do.
 * In memory, per node (see docs/scaling.md). MQTT has its own, with a minute of burst: a tracker
 * reconnecting sends its offline backlog back to back, and a message over the limit can't be
 * answered 429, only dropped.
 */
export class IngestRateLimits {
  private readonly tokens: TokenBuckets
  private readonly devices: TokenBuckets

  /** `burstSec`: how many seconds of the rate a bucket holds (2 for HTTP, more for MQTT). */
  constructor(
    readonly ratePerSec: number,
    burstSec = 2,
  ) {
    this.tokens = new TokenBuckets(ratePerSec, ratePerSec * burstSec)
    this.devices = new TokenBuckets(ratePerSec, ratePerSec * burstSec)
  }

  /** Charges one request to the token's ceiling; 429 with Retry-After beyond it. */
  admitToken(identity: DeviceIdentity): void {
    if (!this.tokens.take(identity.tokenId, Math.max(1, identity.devices.size))) {
      throw new AppError('TOO_MANY_REQUESTS', 'Rate limit exceeded for this token', {
        retryAfterSec: 1,
      })
    }
  }

  /**
   * Charges one request to each device it carries points for, all or nothing; 429 naming the
   * first device over its rate (the sender named it, so nothing is revealed).
   */
  admitDevices(deviceIds: Iterable<string>): void {
    const over = this.devices.takeEach(deviceIds)
    if (over !== null) {
      throw new AppError('TOO_MANY_REQUESTS', `Rate limit exceeded for device ${over}`, {
        retryAfterSec: 1,
      })
    }
  }
}
