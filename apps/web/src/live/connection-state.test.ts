import { describe, expect, it } from 'vitest'
import { toConnectionStatus } from './connection-state'

describe('connection status', () => {
  it('is live while the socket is open', () => {
    expect(toConnectionStatus({ state: 'pending', error: null })).toBe('live')
  })

  it('is connecting on a first attempt and reconnecting after a loss', () => {
    expect(toConnectionStatus({ state: 'connecting', error: null })).toBe('connecting')
    expect(toConnectionStatus({ state: 'connecting', error: new Error('closed') })).toBe(
      'reconnecting',
    )
  })

  it('is idle with no subscription open', () => {
    expect(toConnectionStatus({ state: 'idle', error: null })).toBe('idle')
  })
})
