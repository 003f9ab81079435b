import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createClientAddress, parseTrustProxy, type TrustProxy } from './client-address.ts'

function request(forwarded: string | undefined, peer = '10.0.0.5'): IncomingMessage {
  return {
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
    socket: { remoteAddress: peer },
  } as unknown as IncomingMessage
}

function trust(value: string): TrustProxy {
  const parsed = parseTrustProxy(value)
  if (typeof parsed === 'string') throw new Error(parsed)
  return parsed
}

describe('client address', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is on', () => {
    expect(createClientAddress(trust('false'))(request('1.2.3.4'))).toBe('10.0.0.5')
  })

  it('takes the address the proxy appended, not what the client claimed', () => {
    const address = createClientAddress(trust('true'))
    expect(address(request('6.6.6.6, 203.0.113.9'))).toBe('203.0.113.9')
    expect(address(request(undefined))).toBe('10.0.0.5')
  })

  it('counts trusted hops from the right', () => {
    const address = createClientAddress(trust('2'))
    // client -> CloudFront (appends the client) -> ALB (appends CloudFront) -> server
    expect(address(request('6.6.6.6, 198.51.100.7, 130.176.1.1'))).toBe('198.51.100.7')
    expect(address(request('198.51.100.7, 130.176.1.1'))).toBe('198.51.100.7')
    expect(address(request('130.176.1.1'))).toBe('130.176.1.1')
  })

  it('skips trusted proxy ranges walking left from the peer', () => {
    const address = createClientAddress(trust('10.0.0.0/8, 130.176.0.0/16'))
    expect(address(request('6.6.6.6, 198.51.100.7, 130.176.1.1'))).toBe('198.51.100.7')
    // A peer outside the ranges is the client, whatever it forwards.
    expect(address(request('1.2.3.4', '198.51.100.9'))).toBe('198.51.100.9')
    expect(address(request('::ffff:198.51.100.7', '::ffff:10.1.2.3'))).toBe('198.51.100.7')
  })

  it('never returns a forged non-address', () => {
    expect(createClientAddress(trust('1'))(request('<script>'))).toBe('10.0.0.5')
  })

  it('refuses a TRUST_PROXY that is none of false, true, hops or CIDRs', () => {
    expect(parseTrustProxy('yes')).toMatch(/not false, true, a hop count or a CIDR/)
    expect(parseTrustProxy('10.0.0.0/33')).toEqual(expect.any(String))
    expect(parseTrustProxy('11')).toBe('at most 10 hops')
  })
})
