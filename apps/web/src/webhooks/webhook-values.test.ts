import { describe, expect, it } from 'vitest'
import {
  describeDeliveryEvent,
  describeDeliveryStatus,
  describeKinds,
  readWebhookValues,
} from './webhook-values'

describe('webhook form and log values', () => {
  it('reads the ticked alert kinds and the enabled box from the form', () => {
    expect(
      readWebhookValues({
        url: 'https://hooks.example.com/fms',
        'kind-overspeed': 'on',
        'kind-geofence_exit': 'on',
        isEnabled: 'on',
      }),
    ).toEqual({
      url: 'https://hooks.example.com/fms',
      kinds: ['overspeed', 'geofence_exit'],
      isEnabled: true,
    })
    expect(readWebhookValues({ url: 'https://a.example.com', 'kind-bogus': 'on' })).toEqual({
      url: 'https://a.example.com',
      kinds: [],
      isEnabled: false,
    })
  })

  it('names every kind when a webhook has none listed', () => {
    expect(describeKinds([])).toBe('All alert kinds')
    expect(describeKinds(['overspeed', 'low_fuel'])).toBe('Overspeed, Low fuel')
  })

  it('describes delivered events, including ones it does not know', () => {
    expect(describeDeliveryEvent({ type: 'test', testId: 'x' })).toBe('Test event')
    expect(describeDeliveryEvent({ type: 'alert', alert: { kind: 'overheat' } })).toBe(
      'Alert: Overheat',
    )
    expect(describeDeliveryEvent({ type: 'digest' })).toBe('digest')
    expect(describeDeliveryEvent(null)).toBe('Event')
  })

  it('calls a pending delivery that already failed once retrying', () => {
    expect(describeDeliveryStatus({ status: 'pending', attempts: 0 })).toBe('Pending')
    expect(describeDeliveryStatus({ status: 'pending', attempts: 2 })).toBe('Retrying')
    expect(describeDeliveryStatus({ status: 'succeeded', attempts: 1 })).toBe('Delivered')
    expect(describeDeliveryStatus({ status: 'failed', attempts: 8 })).toBe('Failed')
  })
})
