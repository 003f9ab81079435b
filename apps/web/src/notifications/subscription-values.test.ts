import { ZCreateSubscriptionInput } from '@fms/api/schemas'
import { describe, expect, it } from 'vitest'
import {
  describeChannels,
  describeDigest,
  describeQuietHours,
  describeVehicles,
  readSubscriptionValues,
  toVehicleErrors,
} from './subscription-values'

const VEHICLE_A = '7f1c3a52-2f4b-4d0e-9b7a-1c2d3e4f5a6b'
const VEHICLE_B = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'

describe('subscription values', () => {
  it('reads ticked kinds, chosen vehicles, channels, quiet hours and digest as the schema input', () => {
    const input = readSubscriptionValues({
      'kind-overspeed': 'on',
      'kind-low_fuel': 'on',
      vehicleScope: 'chosen',
      [`vehicle-${VEHICLE_A}`]: 'on',
      'channel-in_app': 'on',
      timeZone: ' Europe/Berlin ',
      quietFrom: '22:00',
      quietTo: '07:00',
      digestMinutes: '30',
      isEnabled: 'on',
    })
    expect(input).toEqual({
      kinds: ['overspeed', 'low_fuel'],
      vehicleIds: [VEHICLE_A],
      channels: ['in_app'],
      timeZone: 'Europe/Berlin',
      quietHours: { from: '22:00', to: '07:00' },
      digestMinutes: 30,
      isEnabled: true,
    })
    expect(ZCreateSubscriptionInput.safeParse(input).success).toBe(true)
  })

  it('reads blanks as every kind, all vehicles, no quiet hours, one email per alert', () => {
    const input = readSubscriptionValues({
      vehicleScope: 'all',
      [`vehicle-${VEHICLE_B}`]: 'on',
      'channel-email': 'on',
      timeZone: 'UTC',
      quietFrom: '',
      quietTo: '',
      digestMinutes: '',
    })
    expect(input).toMatchObject({
      kinds: [],
      vehicleIds: null,
      channels: ['email'],
      quietHours: null,
      digestMinutes: null,
      isEnabled: false,
    })
  })

  it('leaves half-given quiet hours for the schema to refuse', () => {
    const input = readSubscriptionValues({ quietFrom: '22:00', quietTo: '', timeZone: 'UTC' })
    expect(input.quietHours).toEqual({ from: '22:00', to: '' })
    const parsed = ZCreateSubscriptionInput.safeParse({ ...input, channels: ['in_app'] })
    expect(parsed.success).toBe(false)
  })

  it('says to choose a vehicle or all vehicles when none is chosen', () => {
    const parsed = ZCreateSubscriptionInput.safeParse({ vehicleIds: [] })
    expect(parsed.success).toBe(false)
    const message = parsed.error?.issues[0]?.message
    expect(toVehicleErrors(message ? [message] : [])).toEqual([
      'Choose at least one vehicle, or all vehicles',
    ])
  })

  it('describes vehicles by code, all vehicles as such', () => {
    const codes = new Map([[VEHICLE_A, 'TRUCK-1']])
    expect(describeVehicles(null, codes)).toBe('All vehicles')
    expect(describeVehicles([VEHICLE_A, VEHICLE_B], codes)).toBe('TRUCK-1, Unknown vehicle')
  })

  it('marks email off when the server sends none', () => {
    expect(describeChannels(['in_app', 'email'], true)).toBe('In app, Email')
    expect(describeChannels(['in_app', 'email'], false)).toBe('In app, Email (off on this server)')
  })

  it('formats quiet hours with their zone, noting when they end the next day', () => {
    expect(describeQuietHours(null, 'UTC')).toBe('None')
    expect(describeQuietHours({ from: '22:00', to: '07:00' }, 'Europe/Berlin')).toBe(
      '22:00–07:00 next day (Europe/Berlin)',
    )
    expect(describeQuietHours({ from: '12:00', to: '13:30' }, 'UTC')).toBe('12:00–13:30 (UTC)')
  })

  it('formats the digest', () => {
    expect(describeDigest(null)).toBe('One email per alert')
    expect(describeDigest(30)).toBe('At most one email per 30 min')
    expect(describeDigest(60)).toBe('At most one email per hour')
    expect(describeDigest(1440)).toBe('At most one email per day')
  })
})
