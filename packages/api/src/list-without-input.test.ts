import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appRouter } from './root.ts'
import { type Caller, createTestApi, type TestApi } from './testing.ts'

const LISTS = Object.keys(appRouter._def.procedures).filter((path) => path.endsWith('.list'))

/** Calls a procedure by its path with no input at all. */
function callWithoutInput(caller: Caller, path: string): Promise<unknown> {
  let target: unknown = caller
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key]
  return (target as () => Promise<unknown>)()
}

let api: TestApi
let admin: Caller

beforeAll(async () => {
  api = await createTestApi()
  admin = (await api.registerOrg()).caller
})
afterAll(() => api?.close())

describe('every list procedure', () => {
  it('covers every router that has a list', () => {
    expect(LISTS).toEqual(
      expect.arrayContaining([
        'users.list',
        'vehicles.list',
        'devices.list',
        'tokens.list',
        'geofences.list',
        'rules.list',
        'alerts.list',
        'webhooks.list',
      ]),
    )
  })

  it.each(LISTS)('%s answers a call with no input', async (path) => {
    const result = await callWithoutInput(admin, path)
    expect(result).toBeDefined()
    const items = Array.isArray(result) ? result : (result as { items: unknown }).items
    expect(Array.isArray(items)).toBe(true)
  })

  it('applies the defaults of an empty input', async () => {
    const [withoutInput, withEmptyInput] = await Promise.all([
      admin.vehicles.list(),
      admin.vehicles.list({}),
    ])
    expect(withoutInput).toEqual(withEmptyInput)
  })
})
