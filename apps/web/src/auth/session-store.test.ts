import { describe, expect, it, vi } from 'vitest'
import { createSessionStore, REFRESH_MARGIN_MS, type TSessionTokens } from './session-store'

const NOW = Date.parse('2026-01-01T00:00:00Z')

function memoryStorage() {
  const items = new Map<string, string>()
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  }
}

function tokens(name: string, expiresInMs: number): TSessionTokens {
  return {
    accessToken: `access-${name}`,
    refreshToken: `refresh-${name}`,
    accessTokenExpiresAt: new Date(NOW + expiresInMs),
  }
}

function setup(refresh: (refreshToken: string) => Promise<TSessionTokens>) {
  const storage = memoryStorage()
  const options = { storage, storageKey: 'session', refresh, now: () => NOW }
  return { storage, options, store: createSessionStore(options) }
}

describe('session store', () => {
  it('returns the stored access token without refreshing when it is far from expiry', async () => {
    const refresh = vi.fn()
    const { store } = setup(refresh)
    store.set(tokens('a', REFRESH_MARGIN_MS + 1_000))
    expect(await store.getAccessToken()).toBe('access-a')
    expect(refresh).not.toHaveBeenCalled()
  })

  it('restores the session from storage, expiry date included', () => {
    const { options, store } = setup(vi.fn())
    store.set(tokens('a', 600_000))
    expect(createSessionStore(options).get()).toEqual(tokens('a', 600_000))
  })

  it('refreshes once for concurrent callers when the token is about to expire', async () => {
    const refresh = vi.fn(async () => tokens('b', 900_000))
    const { store } = setup(refresh)
    store.set(tokens('a', REFRESH_MARGIN_MS - 1_000))
    const results = await Promise.all([store.getAccessToken(), store.getAccessToken()])
    expect(results).toEqual(['access-b', 'access-b'])
    expect(refresh).toHaveBeenCalledOnce()
    expect(refresh).toHaveBeenCalledWith('refresh-a')
    expect(store.get()?.refreshToken).toBe('refresh-b')
  })

  it('signs out when the refresh fails', async () => {
    const { storage, store } = setup(async () => {
      throw new Error('revoked')
    })
    const listener = vi.fn()
    store.subscribe(listener)
    store.set(tokens('a', 0))
    expect(await store.getAccessToken()).toBeNull()
    expect(store.get()).toBeNull()
    expect(storage.getItem('session')).toBeNull()
    expect(listener).toHaveBeenCalledTimes(2)
  })

  it('ignores unreadable stored data', () => {
    const { storage, options } = setup(vi.fn())
    storage.setItem('session', '{not json')
    expect(createSessionStore(options).get()).toBeNull()
  })

  it('refreshes on the next call after the server called the token expired', async () => {
    const refresh = vi.fn(async () => tokens('b', 900_000))
    const { store } = setup(refresh)
    store.set(tokens('a', 900_000))
    store.expire()
    expect(await store.getAccessToken()).toBe('access-b')
    expect(refresh).toHaveBeenCalledWith('refresh-a')
  })
})
