import { z } from 'zod'
import { RULE_KINDS } from '../rules/types.ts'
import { ZId } from './common.ts'

/** Loopback hosts: allowed (also over http) so tests and local tools can run a receiver. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])
const BLOCKED_HOSTS = new Set(['metadata', 'metadata.google.internal', 'instance-data'])
const BLOCKED_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa']

function isPrivateIpv4(host: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host)
  if (!m) return false
  const [a, b] = [Number(m[1]), Number(m[2])]
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  )
}

function isPrivateIpv6(host: string): boolean {
  if (!host.startsWith('[')) return false
  const ip = host.slice(1, -1).toLowerCase()
  if (ip === '::' || ip === '::1') return true
  if (/^f[cd]/.test(ip) || /^fe[89ab]/.test(ip) || ip.startsWith('ff')) return true
  // IPv4-mapped/compatible (::ffff:a.b.c.d is written by URL as ::ffff:xxxx:xxxx): refuse them all.
  return ip.startsWith('::') || ip.startsWith('64:ff9b:')
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
    isPrivateIpv4(host) ||
    isPrivateIpv6(host)
  ) {
    return 'Must be a public address'
  }
  return null
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
  .array(z.enum(RULE_KINDS))
  .max(RULE_KINDS.length)
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
