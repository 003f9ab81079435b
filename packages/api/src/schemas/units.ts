import type { DistanceUnit, TDisplaySettings, TemperatureUnit, VolumeUnit } from './settings.ts'

/**
 * Metric values (as the API and the database hold them) in the units a reader chose. Used by the
 * web app, the CSV exports and the emails, so every place converts the same way.
 */
export const KM_PER_MILE = 1.609344
/** US liquid gallon. */
export const LITRES_PER_GALLON = 3.785411784

export function convertDistance(km: number, unit: DistanceUnit): number {
  return unit === 'mi' ? km / KM_PER_MILE : km
}

/** Speed follows distance: km/h or mph. */
export function convertSpeed(kmh: number, unit: DistanceUnit): number {
  return convertDistance(kmh, unit)
}

export function convertVolume(litres: number, unit: VolumeUnit): number {
  return unit === 'gal' ? litres / LITRES_PER_GALLON : litres
}

export function convertTemperature(celsius: number, unit: TemperatureUnit): number {
  return unit === 'F' ? (celsius * 9) / 5 + 32 : celsius
}

export const DISTANCE_LABELS = { km: 'km', mi: 'mi' } as const
export const SPEED_LABELS = { km: 'km/h', mi: 'mph' } as const
export const VOLUME_LABELS = { L: 'L', gal: 'gal' } as const
export const TEMPERATURE_LABELS = { C: '°C', F: '°F' } as const
/** The unit as a CSV column suffix: `distance_mi`, `speed_mph`, `fuel_gal`, `temp_f`. */
export const SPEED_SUFFIXES = { km: 'kmh', mi: 'mph' } as const

/** The labels of one reader's units. */
export function unitLabels(
  settings: Pick<TDisplaySettings, 'distanceUnit' | 'volumeUnit' | 'temperatureUnit'>,
) {
  return {
    distance: DISTANCE_LABELS[settings.distanceUnit],
    speed: SPEED_LABELS[settings.distanceUnit],
    volume: VOLUME_LABELS[settings.volumeUnit],
    temperature: TEMPERATURE_LABELS[settings.temperatureUnit],
  }
}
