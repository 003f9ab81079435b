import { describe, expect, it } from 'vitest'
import {
  describeTiming,
  readScheduleValues,
  toRecipientFieldName,
  toVehicleFieldName,
} from './report-schedule-values'

const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'

describe('readScheduleValues', () => {
  it('reads ticked recipients and vehicles, a blank zone as the organization’s', () => {
    expect(
      readScheduleValues({
        name: 'Weekly',
        frequency: 'weekly',
        sendHour: '7',
        timeZone: '',
        [toRecipientFieldName(A)]: 'on',
        [toVehicleFieldName(B)]: 'on',
        isEnabled: 'on',
      }),
    ).toEqual({
      name: 'Weekly',
      frequency: 'weekly',
      sendHour: 7,
      timeZone: null,
      recipientUserIds: [A],
      vehicleIds: [B],
      isEnabled: true,
    })
  })

  it('reads no vehicle ticked as every vehicle, and an unticked box as disabled', () => {
    const input = readScheduleValues({
      name: 'x',
      frequency: 'daily',
      sendHour: '0',
      timeZone: 'Europe/Berlin',
    })
    expect(input).toMatchObject({
      vehicleIds: null,
      isEnabled: false,
      timeZone: 'Europe/Berlin',
      sendHour: 0,
    })
  })
})

describe('describeTiming', () => {
  it('names the frequency, the hour and the zone', () => {
    expect(
      describeTiming({ frequency: 'daily', sendHour: 6, timeZone: null }, 'Europe/Berlin'),
    ).toBe('Daily at 06:00, Europe/Berlin (organization)')
    expect(
      describeTiming({ frequency: 'monthly', sendHour: 23, timeZone: 'UTC' }, 'Europe/Berlin'),
    ).toBe('Monthly (on the 1st) at 23:00, UTC')
  })
})
