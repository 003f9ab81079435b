import { describe, expect, it } from 'vitest'
import { formatRoute, parseRoute } from './hash-route'

const ID = '0b6f2c1e-8a3d-4f5e-9c7b-1d2e3f4a5b6c'

describe('hash routes', () => {
  it('parses the static pages', () => {
    expect(parseRoute('#/devices')).toEqual({ name: 'devices' })
    expect(parseRoute('#/login')).toEqual({ name: 'login' })
    expect(parseRoute('')).toEqual({ name: 'map' })
  })

  it('parses a vehicle page with its id', () => {
    expect(parseRoute(`#/vehicles/${ID.toUpperCase()}`)).toEqual({ name: 'vehicle', id: ID })
  })

  it('falls back to the map for unknown paths and malformed ids', () => {
    expect(parseRoute('#/nowhere')).toEqual({ name: 'map' })
    expect(parseRoute('#/vehicles/not-an-id')).toEqual({ name: 'map' })
  })

  it('formats every route back to a path that parses to it', () => {
    for (const hash of [
      '#/',
      '#/tokens',
      '#/users',
      '#/account',
      '#/alerts',
      '#/rules',
      '#/geofences',
      '#/reports',
      `#/vehicles/${ID}`,
    ]) {
      expect(formatRoute(parseRoute(hash))).toBe(hash)
    }
  })
})
