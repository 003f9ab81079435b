import type { LookupAddress, LookupOptions } from 'node:dns'
import type { LookupFunction } from 'node:net'

/** One address of a host, as `dns.lookup(host, { all: true })` answers. */
interface Address {
  address: string
  family: number
}

/**
 * A `lookup` that answers with the addresses already vetted, whatever it is asked: the connection
 * goes where the SSRF check looked, and a second DNS answer (rebinding) is never consulted. For
 * outbound requests to addresses users choose (webhooks, single sign-on providers).
 */
export function pinnedLookup(vetted: readonly [Address, ...Address[]]): LookupFunction {
  return (_hostname: string, options: LookupOptions, callback) => {
    const done = callback as (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void
    // `all` is asked when Node tries the addresses in turn (autoSelectFamily): all were vetted.
    if (options.all)
      done(
        null,
        vetted.map(({ address, family }) => ({ address, family })),
      )
    else done(null, vetted[0].address, vetted[0].family)
  }
}
