import { describe, expect, it } from 'vitest'
import { formatRoute, hrefWithQuery, MAX_RANGE_MS, parseRoute, readHashQuery } from './hash-route'

const ID = '0b6f2c1e-8a3d-4f5e-9c7b-1d2e3f4a5b6c'
const FROM = 1_795_000_000_000
const TO = FROM + 45 * 60_000

describe('hash routes', () => {
  it('parses the static pages', () => {
    expect(parseRoute('#/devices')).toEqual({ name: 'devices' })
    expect(parseRoute('#/login')).toEqual({ name: 'login' })
    expect(parseRoute('#/webhooks')).toEqual({ name: 'webhooks' })
    expect(parseRoute('#/overview')).toEqual({ name: 'overview' })
    expect(parseRoute('')).toEqual({ name: 'map' })
  })

  it('parses a vehicle page with its id', () => {
    expect(parseRoute(`#/vehicles/${ID.toUpperCase()}`)).toEqual({ name: 'vehicle', id: ID })
  })

  it('falls back to the map for unknown paths and malformed ids', () => {
    expect(parseRoute('#/nowhere')).toEqual({ name: 'map' })
    expect(parseRoute('#/vehicles/not-an-id')).toEqual({ name: 'map' })
    expect(parseRoute(`#/vehicles/${ID}/extra?from=${FROM}&to=${TO}`)).toEqual({ name: 'map' })
  })

  it('parses a vehicle page with a time range', () => {
    expect(parseRoute(`#/vehicles/${ID}?from=${FROM}&to=${TO}`)).toEqual({
      name: 'vehicle',
      id: ID,
      range: { from: FROM, to: TO },
    })
    expect(parseRoute(`#/vehicles/${ID}?to=${TO}&from=${FROM}&zoom=3`)).toEqual({
      name: 'vehicle',
      id: ID,
      range: { from: FROM, to: TO },
    })
  })

  it('ignores a range that is not two plain epoch-ms numbers', () => {
    for (const query of [
      '',
      `from=${FROM}`,
      `to=${TO}`,
      `from=abc&to=${TO}`,
      `from=${FROM}&to=`,
      `from=-5&to=${TO}`,
      `from=1e12&to=${TO}`,
      `from=0x10&to=${TO}`,
      `from=${FROM}.5&to=${TO}`,
      `from=%20${FROM}&to=${TO}`,
      `from=${FROM}&to=99999999999999999`,
      `from=<script>&to=${TO}`,
    ]) {
      expect(parseRoute(`#/vehicles/${ID}?${query}`), query).toEqual({ name: 'vehicle', id: ID })
    }
  })

  it('ignores a range that ends before it starts or spans more than the history limit', () => {
    const ignored = { name: 'vehicle', id: ID }
    expect(parseRoute(`#/vehicles/${ID}?from=${TO}&to=${FROM}`)).toEqual(ignored)
    expect(parseRoute(`#/vehicles/${ID}?from=${FROM}&to=${FROM}`)).toEqual(ignored)
    expect(parseRoute(`#/vehicles/${ID}?from=0&to=${TO}`)).toEqual(ignored)
    expect(parseRoute(`#/vehicles/${ID}?from=${FROM}&to=${FROM + MAX_RANGE_MS + 1}`)).toEqual(
      ignored,
    )
    expect(parseRoute(`#/vehicles/${ID}?from=${FROM}&to=${FROM + MAX_RANGE_MS}`)).toEqual({
      ...ignored,
      range: { from: FROM, to: FROM + MAX_RANGE_MS },
    })
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
      '#/webhooks',
      `#/vehicles/${ID}`,
      `#/vehicles/${ID}?from=${FROM}&to=${TO}`,
    ]) {
      expect(formatRoute(parseRoute(hash))).toBe(hash)
    }
  })
})

describe('hash queries', () => {
  it('keeps a page with a query on its page and reads the query back', () => {
    const href = hrefWithQuery('alerts', { alert: 'a b&c' })
    expect(href).toBe('#/alerts?alert=a+b%26c')
    expect(parseRoute(href)).toEqual({ name: 'alerts' })
    expect(readHashQuery(href).get('alert')).toBe('a b&c')
  })

  it('reads no parameters from a hash without a query', () => {
    expect([...readHashQuery('#/alerts').keys()]).toEqual([])
    expect(hrefWithQuery('alerts', {})).toBe('#/alerts')
  })
})
