import { useState } from 'react'

type TFlagStorage = Pick<Storage, 'getItem' | 'setItem'>

/** The stored `'true'`/`'false'` under `key`; `fallback` when unset, unreadable or anything else. */
export function readStoredFlag(storage: TFlagStorage | null, key: string, fallback: boolean) {
  try {
    const value = storage?.getItem(key)
    return value === 'true' ? true : value === 'false' ? false : fallback
  } catch {
    return fallback
  }
}

/** Stores the flag; a full or blocked storage only means it isn't remembered. */
export function writeStoredFlag(storage: TFlagStorage | null, key: string, value: boolean) {
  try {
    storage?.setItem(key, String(value))
  } catch {
    // Not remembered across visits, still applied now.
  }
}

function findLocalStorage(): TFlagStorage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/** A boolean view setting remembered in localStorage (per browser, not per account). */
export function useStoredFlag(key: string, fallback: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => readStoredFlag(findLocalStorage(), key, fallback))
  function update(next: boolean) {
    setValue(next)
    writeStoredFlag(findLocalStorage(), key, next)
  }
  return [value, update]
}
