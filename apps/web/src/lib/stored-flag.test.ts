import { describe, expect, it } from 'vitest'
import { readStoredFlag, writeStoredFlag } from './stored-flag'

function createStorage() {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  }
}

const BLOCKED = {
  getItem: (): string | null => {
    throw new Error('SecurityError')
  },
  setItem: () => {
    throw new Error('QuotaExceededError')
  },
}

describe('stored flags', () => {
  it('remembers a flag written before', () => {
    const storage = createStorage()
    writeStoredFlag(storage, 'fms.map.geofences', false)
    expect(storage.items.get('fms.map.geofences')).toBe('false')
    expect(readStoredFlag(storage, 'fms.map.geofences', true)).toBe(false)
    writeStoredFlag(storage, 'fms.map.geofences', true)
    expect(readStoredFlag(storage, 'fms.map.geofences', false)).toBe(true)
  })

  it('falls back for an unset or tampered value', () => {
    const storage = createStorage()
    expect(readStoredFlag(storage, 'fms.map.geofences', true)).toBe(true)
    storage.setItem('fms.map.geofences', 'yes please')
    expect(readStoredFlag(storage, 'fms.map.geofences', true)).toBe(true)
    expect(readStoredFlag(null, 'fms.map.geofences', false)).toBe(false)
  })

  it('falls back, without throwing, when storage is blocked', () => {
    expect(readStoredFlag(BLOCKED, 'fms.map.geofences', true)).toBe(true)
    expect(() => writeStoredFlag(BLOCKED, 'fms.map.geofences', false)).not.toThrow()
  })
})
