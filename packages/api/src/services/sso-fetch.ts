import { lookup } from 'node:dns/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP } from 'node:net'
import { pinnedLookup } from '../pinned-lookup.ts'
import { blockedAddressKind } from '../schemas/index.ts'

/** Largest answer a provider may send (discovery, keys, tokens, UserInfo are a few KiB). */
const MAX_RESPONSE_BYTES = 1_000_000

/** A provider address FMS refuses to connect to (SSRF guard); its message names no address. */
export class SsoAddressError extends Error {
  override name = 'SsoAddressError'
}

interface Vetted {
  address: string
  family: number
}

/**
 * The addresses of `hostname` when every one is public; throws `SsoAddressError` when any is
 * loopback, private, link-local, CGNAT, ULA, multicast, IPv4-mapped such, … (`blockedAddressKind`,
 * the webhooks' list), unless `allowPrivate`. IP literals are checked as they are.
 */
async function vettedAddresses(
  hostname: string,
  allowPrivate: boolean,
  signal: AbortSignal | undefined,
): Promise<[Vetted, ...Vetted[]]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1')
  const family = isIP(host)
  const addresses: Vetted[] = family
    ? [{ address: host, family }]
    : await abortable(lookup(host, { all: true, verbatim: true }), signal)
  const [first, ...rest] = addresses
  if (!first) throw new SsoAddressError(`${host} does not resolve`)
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const kind = blockedAddressKind(address)
      if (kind === null) continue
      const what = family ? host : `${host} resolves to a non-public address`
      throw new SsoAddressError(
        `${what} (${kind}): identity providers must be public (SSO_ALLOW_PRIVATE_ISSUERS)`,
      )
    }
  }
  return [first, ...rest]
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  signal.throwIfAborted()
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

type FetchBody = string | URLSearchParams | ArrayBuffer | Uint8Array | ReadableStream | null

async function bodyBytes(body: FetchBody | undefined): Promise<Buffer | null> {
  if (body === null || body === undefined) return null
  if (typeof body === 'string') return Buffer.from(body)
  if (body instanceof URLSearchParams) return Buffer.from(body.toString())
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  return Buffer.from(await new Response(body).arrayBuffer())
}

function toResponse(res: IncomingMessage, body: Buffer, url: string): Response {
  const headers = new Headers()
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string)
  }
  const status = res.statusCode ?? 502
  const hasNoBody = status === 204 || status === 205 || status === 304
  const response = new Response(hasNoBody ? null : new Uint8Array(body), {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  })
  Object.defineProperty(response, 'url', { value: url })
  return response
}

export interface GuardedFetchOptions {
  body?: FetchBody
  headers?: Record<string, string>
  method?: string
  signal?: AbortSignal
}

/**
 * The `fetch` openid-client uses for every request to a provider (discovery, token, UserInfo,
 * JWKS). Unless `allowPrivate`: https only, and only to public addresses, checked before
 * connecting and pinned for the connection (no DNS-rebinding gap between the check and the
 * connect; TLS still checks the certificate against the URL's host). Never follows redirects,
 * never reuses connections, reads at most 1 MB. The caller's signal bounds it (10 s timeout).
 */
export function guardedFetch(allowPrivate: boolean) {
  return async (url: string, options: GuardedFetchOptions = {}): Promise<Response> => {
    const target = new URL(url)
    if (target.protocol !== 'https:' && !(allowPrivate && target.protocol === 'http:')) {
      throw new SsoAddressError('Identity provider endpoints must use https')
    }
    if (target.username || target.password) {
      throw new SsoAddressError('Identity provider endpoints may not carry credentials')
    }
    const vetted = await vettedAddresses(target.hostname, allowPrivate, options.signal)
    const body = await bodyBytes(options.body)
    const headers: Record<string, string> = { ...options.headers }
    if (options.body instanceof URLSearchParams && !hasHeader(headers, 'content-type')) {
      headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8'
    }
    if (body) headers['content-length'] = String(body.length)
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        target,
        {
          method: options.method ?? 'GET',
          headers,
          agent: false,
          lookup: pinnedLookup(vetted),
          ...(options.signal ? { signal: options.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > MAX_RESPONSE_BYTES) {
              res.destroy()
              reject(new Error('The identity provider answered more than 1 MB'))
              return
            }
            chunks.push(chunk)
          })
          res.on('end', () => {
            try {
              resolve(toResponse(res, Buffer.concat(chunks), url))
            } catch (error) {
              reject(error)
            }
          })
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body ?? undefined)
    })
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name)
}
