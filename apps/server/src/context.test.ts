import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { clientIp } from './context.ts'

function request(forwarded: string | undefined): IncomingMessage {
  return {
    headers: forwarded ? { 'x-forwarded-for': forwarded } : {},
    socket: { remoteAddress: '10.0.0.5' },
  } as unknown as IncomingMessage
}

describe('client address', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is on', () => {
    expect(clientIp(request('1.2.3.4'))).toBe('10.0.0.5')
  })

  it('takes the address the proxy appended, not what the client claimed', () => {
    expect(clientIp(request('6.6.6.6, 203.0.113.9'), true)).toBe('203.0.113.9')
    expect(clientIp(request(undefined), true)).toBe('10.0.0.5')
  })
})
