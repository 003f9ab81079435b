import type { IncomingMessage } from 'node:http'
import { BlockList, isIP } from 'node:net'

/**
 * Which proxies in front of the server are trusted to report the client's address
 * (`TRUST_PROXY`): none, a number of hops, or the address ranges of the proxies.
 */
export type TrustProxy =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'cidrs'; cidrs: readonly string[] }

/** Parses `false`, `true` (one hop), a hop count, or a comma-separated list of CIDRs. */
export function parseTrustProxy(value: string): TrustProxy | string {
  const text = value.trim()
  if (text === 'false' || text === '0') return { kind: 'none' }
  if (text === 'true') return { kind: 'hops', hops: 1 }
  if (/^\d+$/.test(text)) {
    const hops = Number(text)
    return hops <= 10 ? { kind: 'hops', hops } : 'at most 10 hops'
  }
  const cidrs = text.split(',').map((item) => item.trim())
  for (const cidr of cidrs) {
    if (!parseCidr(cidr)) return `"${cidr}" is not false, true, a hop count or a CIDR`
  }
  return { kind: 'cidrs', cidrs }
}

function parseCidr(
  cidr: string,
): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = cidr.split('/')
  const family = isIP(address)
  if (family === 0 || extra !== undefined) return null
  const max = family === 4 ? 32 : 128
  const prefix = prefixText === undefined ? max : Number(prefixText)
  if (!/^\d+$/.test(prefixText ?? String(max)) || prefix > max) return null
  return { address, prefix, type: family === 4 ? 'ipv4' : 'ipv6' }
}

/** `::ffff:10.0.0.1` (how a dual-stack socket reports IPv4 peers) -> `10.0.0.1`. */
function normalize(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return mapped?.[1] ?? address
}

/**
 * The client address of a request, from the socket peer and, only as far as `trust` allows,
 * `X-Forwarded-For`. Each proxy appends the address it saw, so the list is read from the right:
 * with N trusted hops the client is the N-th entry from the right; with trusted ranges it is the
 * first address, walking leftwards from the peer, that is not a trusted proxy. Whatever a client
 * put further left is its own claim and ignored. Returns only well-formed addresses.
 */
export function createClientAddress(trust: TrustProxy): (req: IncomingMessage) => string | null {
  const blockList = new BlockList()
  if (trust.kind === 'cidrs') {
    for (const cidr of trust.cidrs) {
      const parsed = parseCidr(cidr)
      if (parsed) blockList.addSubnet(parsed.address, parsed.prefix, parsed.type)
    }
  }
  const isTrusted = (address: string) => {
    const family = isIP(address)
    return family !== 0 && blockList.check(address, family === 4 ? 'ipv4' : 'ipv6')
  }
  return (req) => {
    const peer = req.socket.remoteAddress ? normalize(req.socket.remoteAddress) : null
    if (trust.kind === 'none' || peer === null) return peer
    const header = req.headers['x-forwarded-for']
    const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((entry) => normalize(entry.trim()))
      .filter((entry) => entry !== '')
    const chain = [...forwarded, peer]
    let client: string | undefined
    if (trust.kind === 'hops') {
      client = chain[Math.max(0, chain.length - 1 - trust.hops)]
    } else {
      let index = chain.length - 1
      while (index > 0 && isTrusted(chain[index] ?? '')) index--
      client = chain[index]
    }
    return client !== undefined && isIP(client) !== 0 ? client : peer
  }
}
