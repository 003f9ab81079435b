import { describe, expect, it } from 'vitest'
import { METRIC_SETTINGS } from './settings.ts'
import { localizeMessage } from './units.ts'

const US = { distanceUnit: 'mi', volumeUnit: 'gal', temperatureUnit: 'F' } as const

describe('localizeMessage', () => {
  it('converts speeds, speed bands, accelerations, distances, volumes and temperatures', () => {
    expect(localizeMessage('Overspeed: max 128.7 km/h over 100 km/h for 42 s', US)).toBe(
      'Overspeed: max 80 mph over 62.1 mph for 42 s',
    )
    expect(localizeMessage('Speed at 40-80 km/h and 80+ km/h', US)).toBe(
      'Speed at 24.9-49.7 mph and 49.7+ mph',
    )
    expect(localizeMessage('Harsh braking: 14.2 km/h/s', US)).toBe('Harsh braking: 8.8 mph/s')
    expect(localizeMessage('Service due in 500 km', US)).toBe('Service due in 311 mi')
    expect(localizeMessage('Refuel: 60 L', US)).toBe('Refuel: 15.9 gal')
    expect(localizeMessage('Coolant at 104 °C over 100 °C', US)).toBe(
      'Coolant at 219 °F over 212 °F',
    )
  })

  it('leaves metric readers, other numbers and hostile text as they are', () => {
    const hostile = '<img src=x onerror=alert(1)> 3 kmh 12 km/hour 5 Ls 2 rpm'
    expect(localizeMessage(hostile, US)).toBe(hostile)
    const metric = 'Overspeed: max 128.7 km/h over 100 km/h'
    expect(localizeMessage(metric, METRIC_SETTINGS)).toBe(metric)
  })
})
