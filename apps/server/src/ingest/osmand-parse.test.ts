import { describe, expect, it } from 'vitest'
import {
  OsmandFormatError,
  parseOsmandJson,
  parseOsmandParams,
  parseOsmandTime,
} from './osmand-parse.ts'

describe('OsmAnd timestamps', () => {
  it('reads epoch seconds, epoch milliseconds, ISO 8601 and yyyy-MM-dd HH:mm:ss (UTC)', () => {
    const ms = Date.UTC(2026, 10, 27, 10, 30, 15)
    expect(parseOsmandTime(String(ms / 1000))).toBe(ms)
    expect(parseOsmandTime(String(ms))).toBe(ms)
    expect(parseOsmandTime('2026-11-27T10:30:15Z')).toBe(ms)
    expect(parseOsmandTime('2026-11-27T11:30:15+01:00')).toBe(ms)
    expect(parseOsmandTime('2026-11-27 10:30:15')).toBe(ms)
  })

  it('refuses an unreadable timestamp', () => {
    expect(() => parseOsmandTime('yesterday')).toThrow(OsmandFormatError)
  })
})

describe('OsmAnd query-string and form fields', () => {
  it('maps a Traccar Client request, converting knots to km/h and keeping the rest', () => {
    // As sent by Traccar Client for Android (query string).
    const params = new URLSearchParams(
      'id=865123045678901&timestamp=1795747800&lat=52.520008&lon=13.404954&speed=10.5&bearing=271.3&altitude=34.0&accuracy=4.8&batt=76.0&charge=false',
    )
    expect(parseOsmandParams(params)).toEqual({
      externalId: '865123045678901',
      point: {
        time: 1_795_747_800_000,
        lat: 52.520008,
        lon: 13.404954,
        speed: 19.446,
        heading: 271.3,
        altitude: 34,
        ignition: undefined,
        accuracy: 4.8,
        valid: undefined,
        attributes: { batt: 76, charge: false },
      },
    })
  })

  it('takes deviceid, location=lat,lon and heading', () => {
    const parsed = parseOsmandParams(
      new URLSearchParams('deviceid=T1&location=-33.86,151.2&heading=90'),
    )
    expect(parsed).toMatchObject({
      externalId: 'T1',
      point: { lat: -33.86, lon: 151.2, heading: 90 },
    })
  })

  it('maps valid and accuracy to the readings the engine judges fixes by', () => {
    const parse = (query: string) => parseOsmandParams(new URLSearchParams(`id=T1&${query}`)).point
    expect(parse('lat=1&lon=2&valid=false&accuracy=12.5')).toMatchObject({
      valid: false,
      accuracy: 12.5,
    })
    expect(parse('valid=true').valid).toBe(true)
    expect(parse('valid=TRUE').valid).toBe(true)
    expect(parse('valid=0').valid).toBe(false)
    expect(parse('valid=').valid).toBeUndefined()
    expect(parse('valid=0').valid).toBe(false)
    expect(parse('accuracy=-1').accuracy).toBeUndefined()
    expect(parse('accuracy=5000000').accuracy).toBe(1_000_000)
    expect(parse('valid=false').attributes).toBeUndefined()
  })

  it('refuses a request without an id, or with a non-numeric latitude', () => {
    expect(() => parseOsmandParams(new URLSearchParams('lat=1&lon=2'))).toThrow(/id/)
    expect(() => parseOsmandParams(new URLSearchParams('id=1&lat=north&lon=2'))).toThrow(/lat/)
  })
})

describe('OsmAnd JSON', () => {
  it('maps the JSON of newer clients: m/s to km/h, metres to km, battery, motion, extras', () => {
    const body = {
      device_id: '865123045678901',
      location: {
        timestamp: '2026-11-27T10:30:15.000Z',
        coords: {
          latitude: 52.52,
          longitude: 13.405,
          accuracy: 5,
          speed: 10,
          heading: 180,
          altitude: 40,
        },
        is_moving: true,
        odometer: 123456,
        battery: { level: 0.81, is_charging: true },
        extras: { trip: 'morning', nested: { ignored: true } },
      },
    }
    expect(parseOsmandJson(body)).toEqual({
      externalId: '865123045678901',
      point: {
        time: Date.UTC(2026, 10, 27, 10, 30, 15),
        lat: 52.52,
        lon: 13.405,
        speed: 36,
        heading: 180,
        altitude: 40,
        odometer: 123.456,
        accuracy: 5,
        attributes: {
          motion: true,
          batteryLevel: 81,
          charging: true,
          trip: 'morning',
        },
      },
    })
  })

  it('treats a negative speed or heading as unknown', () => {
    const parsed = parseOsmandJson({
      device_id: 'x',
      location: { coords: { speed: -1, heading: -1 } },
    })
    expect(parsed.point).toMatchObject({ speed: undefined, heading: undefined })
  })

  it('refuses a body without device_id or with a non-numeric coordinate', () => {
    expect(() => parseOsmandJson({ location: {} })).toThrow(/device_id/)
    expect(() =>
      parseOsmandJson({ device_id: 'x', location: { coords: { latitude: '52' } } }),
    ).toThrow(/latitude/)
  })
})
