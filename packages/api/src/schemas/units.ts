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

/** A number as it reads in a message: whole when large, else one decimal. */
function formatMessageNumber(value: number): string {
  return String(Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10)
}

const SPEED_IN_TEXT = /(\d+(?:\.\d+)?)(\+?)(?:-(\d+(?:\.\d+)?))? km\/h(\/s)?(?![\w/])/g
const DISTANCE_IN_TEXT = /(\d+(?:\.\d+)?) km(?![\w/])/g
const VOLUME_IN_TEXT = /(\d+(?:\.\d+)?) L(?!\w)/g
const TEMPERATURE_IN_TEXT = /(-?\d+(?:\.\d+)?) °C(?!\w)/g

/**
 * An alert's message (written in metric when the alert fired) in a reader's units: each
 * "<number> km/h", "km/h/s", "km", "L" and "°C" is converted and relabelled; the rest of the text is
 * kept as it is. Only digits are rewritten, so a hostile message gains nothing here.
 */
export function localizeMessage(
  message: string,
  settings: Pick<TDisplaySettings, 'distanceUnit' | 'volumeUnit' | 'temperatureUnit'>,
): string {
  let text = message
  if (settings.distanceUnit === 'mi') {
    const mi = (km: string) => formatMessageNumber(convertDistance(Number(km), 'mi'))
    text = text
      .replace(
        SPEED_IN_TEXT,
        (
          _all,
          low: string,
          plus: string,
          high: string | undefined,
          perSecond: string | undefined,
        ) => `${mi(low)}${plus}${high === undefined ? '' : `-${mi(high)}`} mph${perSecond ?? ''}`,
      )
      .replace(DISTANCE_IN_TEXT, (_all, km: string) => `${mi(km)} mi`)
  }
  if (settings.volumeUnit === 'gal') {
    text = text.replace(
      VOLUME_IN_TEXT,
      (_all, litres: string) => `${formatMessageNumber(convertVolume(Number(litres), 'gal'))} gal`,
    )
  }
  if (settings.temperatureUnit === 'F') {
    text = text.replace(
      TEMPERATURE_IN_TEXT,
      (_all, c: string) => `${formatMessageNumber(convertTemperature(Number(c), 'F'))} °F`,
    )
  }
  return text
}
