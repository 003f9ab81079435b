import { ALERT_KINDS } from '@fms/engine'
import { z } from 'zod'
import { ZId } from './common.ts'

/**
 * Loopback hosts pass this syntax check (also over http) for local receivers; the DNS check
 * (`checkWebhookHost`) then refuses them unless the server allows private addresses.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])
const BLOCKED_HOSTS = new Set(['metadata', 'metadata.google.internal', 'instance-data'])
const BLOCKED_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa']

/** An IPv4 address as 4 bytes, or null. */
function parseIpv4(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)
  const bytes = m?.slice(1).map(Number)
  return bytes?.every((b) => b <= 255) ? bytes : null
}

/** An IPv6 address (`::` shorthand, dotted IPv4 tail, zone id allowed) as 16 bytes, or null. */
function parseIpv6(text: string): number[] | null {
  let ip = text.toLowerCase().replace(/%.*$/, '')
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip)
  if (dotted) {
    const v4 = parseIpv4(dotted[2] as string)
    if (!v4) return null
    const [a = 0, b = 0, c = 0, d = 0] = v4
    ip = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const halves = ip.split('::')
  if (halves.length > 2) return null
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')))
  const [head = [], tail = []] = groups
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail]
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null
  return all.flatMap((g) => [Number.parseInt(g, 16) >> 8, Number.parseInt(g, 16) & 0xff])
}

type Range = readonly [prefix: readonly number[], bits: number, kind: string]

/** IPv4 ranges a webhook must not reach (RFC 6890 special-purpose registry, roughly). */
const IPV4_BLOCKED: readonly Range[] = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'CGNAT'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'benchmarking'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
]

const IPV6_BLOCKED: readonly Range[] = [
  [[0x01, 0, 0, 0, 0, 0, 0, 0], 64, 'reserved'],
  [[0x20, 0x01, 0, 0], 32, 'Teredo'],
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'],
  [[0xfc], 7, 'private'],
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'site-local'],
  [[0xff], 8, 'multicast'],
]

function inRange(bytes: readonly number[], [prefix, bits]: Range): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false
  }
  return true
}

function ipv4Kind(bytes: readonly number[]): string | null {
  return IPV4_BLOCKED.find((range) => inRange(bytes, range))?.[2] ?? null
}

function ipv6Kind(bytes: readonly number[]): string | null {
  const prefix = (n: number, ...values: number[]) =>
    bytes.slice(0, n).every((b, i) => b === (values[i] ?? 0))
  const v4 = (at: number) => ipv4Kind(bytes.slice(at, at + 4))
  if (prefix(15) && bytes[15] === 0) return 'unspecified'
  if (prefix(15) && bytes[15] === 1) return 'loopback'
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the embedded IPv4 address.
  if (prefix(12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff)) {
    const kind = v4(12)
    return kind && `IPv4-mapped ${kind}`
  }
  if (prefix(12, 0, 0x64, 0xff, 0x9b)) {
    const kind = v4(12)
    return kind && `NAT64 ${kind}`
  }
  if (prefix(6, 0, 0x64, 0xff, 0x9b, 0, 1)) return 'private'
  if (prefix(12)) return 'IPv4-compatible'
  if (prefix(2, 0x20, 0x02)) {
    const kind = v4(2)
    return kind && `6to4 ${kind}`
  }
  return IPV6_BLOCKED.find((range) => inRange(bytes, range))?.[2] ?? null
}

/**
 * Why a webhook must not connect to this IP address ("loopback", "private", "link-local",
 * "CGNAT", "multicast", "unspecified", "IPv4-mapped private", ...), or null for a public one.
 */
export function blockedAddressKind(address: string): string | null {
  const ip = address.replace(/^\[(.*)\]$/, '$1')
  const v4 = parseIpv4(ip)
  if (v4) return ipv4Kind(v4)
  const v6 = ip.includes(':') ? parseIpv6(ip) : null
  return v6 ? ipv6Kind(v6) : 'unparseable'
}

/** Why a webhook URL is refused (SSRF guard), or null when it is acceptable. */
export function checkWebhookUrl(raw: string): string | null {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'Must be a valid URL'
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  const isLoopback = LOOPBACK_HOSTS.has(host)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback)) {
    return 'Must be an https:// URL'
  }
  if (url.username || url.password) return 'Must not contain credentials'
  if (isLoopback) return null
  if (
    BLOCKED_HOSTS.has(host) ||
    BLOCKED_SUFFIXES.some((suffix) => host.endsWith(suffix)) ||
    (!host.startsWith('[') && !host.includes('.')) ||
    ((host.startsWith('[') || /^[\d.]+$/.test(host)) && blockedAddressKind(host) !== null)
  ) {
    return 'Must be a public address'
  }
  return null
}

/** One address of a host, as `dns.lookup(host, { all: true })` answers. */
export interface ResolvedAddress {
  address: string
  family: number
}
/** Resolves a host name to all its addresses (`node:dns/promises` lookup with `all: true`). */
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>

export type WebhookHostCheck =
  | { ok: true; addresses: ResolvedAddress[] }
  | { ok: false; error: string }

export const WEBHOOK_LOOKUP_TIMEOUT_MS = 5000

/**
 * The DNS half of the SSRF guard, run when a webhook is saved and again before every delivery:
 * resolves the URL's host and accepts it only when it resolves and every address is public
 * (`allowPrivate` skips the address check, for local receivers). The delivery then connects only
 * to these `addresses`, never resolving again, so a rebinding DNS answer can't slip in between.
 * Takes the resolver as a parameter to stay free of Node modules (this file runs in browsers).
 */
export async function checkWebhookHost(
  url: string | URL,
  options: { lookup: LookupAll; allowPrivate: boolean; timeoutMs?: number },
): Promise<WebhookHostCheck> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1')
  const timeoutMs = options.timeoutMs ?? WEBHOOK_LOOKUP_TIMEOUT_MS
  const timedOut = new Error('DNS lookup timed out')
  let timer: ReturnType<typeof setTimeout> | undefined
  let addresses: ResolvedAddress[]
  try {
    addresses = await Promise.race([
      options.lookup(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(timedOut), timeoutMs)
      }),
    ])
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (error === timedOut) {
      return { ok: false, error: `DNS lookup of ${host} timed out after ${timeoutMs} ms` }
    }
    if (code === 'ENOTFOUND' || code === 'ENODATA') {
      return { ok: false, error: `${host} does not resolve` }
    }
    return { ok: false, error: `DNS lookup of ${host} failed (${String(code ?? error)})` }
  } finally {
    clearTimeout(timer)
  }
  if (addresses.length === 0) return { ok: false, error: `${host} does not resolve` }
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const kind = blockedAddressKind(address)
      if (kind === null) continue
      // The address itself is not echoed for a name: the answer must not map the network
      // behind the server for whoever types names into this field.
      const what = host === address ? address : `${host} resolves to a non-public address`
      return { ok: false, error: `${what} (${kind}); webhooks only go to public addresses` }
    }
  }
  return { ok: true, addresses }
}

const ZWebhookUrl = z
  .string()
  .trim()
  .max(2000, { error: 'At most 2000 characters' })
  .superRefine((value, ctx) => {
    const error = checkWebhookUrl(value)
    if (error) ctx.addIssue({ code: 'custom', message: error })
  })

const ZWebhookKinds = z
  .array(z.enum(ALERT_KINDS))
  .max(ALERT_KINDS.length)
  .transform((kinds) => [...new Set(kinds)])

export const ZCreateWebhookInput = z.object({
  url: ZWebhookUrl,
  kinds: ZWebhookKinds.default([]),
  isEnabled: z.boolean().default(true),
})
export type TCreateWebhookInput = z.infer<typeof ZCreateWebhookInput>
export const ZUpdateWebhookInput = z.object({
  id: ZId,
  url: ZWebhookUrl.optional(),
  kinds: ZWebhookKinds.optional(),
  isEnabled: z.boolean().optional(),
})
export type TUpdateWebhookInput = z.infer<typeof ZUpdateWebhookInput>
export const ZListWebhookDeliveriesInput = z.object({
  id: ZId,
  limit: z.number().int().min(1).max(100).default(25),
})
export type TListWebhookDeliveriesInput = z.infer<typeof ZListWebhookDeliveriesInput>
