import { z } from 'zod'
import { ZEmail, ZRole } from './auth.ts'

/**
 * A domain in ASCII: IDN labels to punycode (`bücher.de` → `xn--bcher-kva.de`, as `node:url`
 * `domainToASCII` does; the WHATWG URL parser here, since this file also runs in browsers),
 * lower case, without a trailing dot. Empty when it is no host name.
 */
export function domainAscii(value: string): string {
  const name = value.trim().replace(/\.$/, '')
  if (!name || /[/?#@:[\]\s\\%]/.test(name)) return ''
  try {
    return new URL(`http://${name}`).hostname.toLowerCase()
  } catch {
    return ''
  }
}

/**
 * A DNS name of two labels or more, lower-cased, in punycode (`example.com`, `eu.example.co.uk`,
 * `xn--e1afmkfd.xn--p1ai`).
 */
export const ZSsoDomain = z
  .string()
  .max(253)
  .transform(domainAscii)
  .pipe(
    z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/,
        { error: 'Enter a domain like example.com' },
      ),
  )

/**
 * An organization's single sign-on settings. `clientSecret` may be left out of an update to keep
 * the stored one (it is never sent back).
 */
export const ZUpdateSsoInput = z.object({
  issuer: z.url({ protocol: /^https?$/, error: 'Enter the issuer URL (https://…)' }).max(500),
  clientId: z.string().trim().min(1, { error: 'Enter the client id' }).max(500),
  clientSecret: z.string().min(1).max(2000).optional(),
  domains: z
    .array(ZSsoDomain)
    .min(1, { error: 'Add at least one email domain' })
    .max(50)
    .transform((domains) => [...new Set(domains)]),
  defaultRole: ZRole.default('user'),
  isEnabled: z.boolean().default(true),
})
export type TUpdateSsoInput = z.infer<typeof ZUpdateSsoInput>

/** Whether an email's domain signs in through single sign-on (the sign-in page). */
export const ZSsoOptionsInput = z.object({ email: ZEmail })

/**
 * The one-time code the SSO callback hands the web app, for its session, and the key of the
 * browser that started the sign-in (kept in its sessionStorage). Any key reaches the check: a
 * wrong one spends the code.
 */
export const ZSsoExchangeInput = z.object({
  code: z.string().min(16).max(200),
  browser: z.string().max(200),
})
