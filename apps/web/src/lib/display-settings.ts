import {
  convertDistance,
  convertSpeed,
  convertTemperature,
  convertVolume,
  localizeMessage,
  METRIC_SETTINGS,
  type TDisplaySettings,
  unitLabels,
} from '@fms/api/schemas'

/**
 * The reader's display settings (`settings.get` → `effective`), set once they load. The API
 * answers metric values and UTC instants; `formatReading` and the date formats read these to
 * show them in the reader's units and time zone. Until set: metric, the browser's time zone.
 */
let current: TDisplaySettings | null = null

export function setDisplaySettings(settings: TDisplaySettings | null): void {
  current = settings
}

export function readDisplaySettings(): TDisplaySettings | null {
  return current
}

/** A metric value and its unit label as the reader wants them: `[62.1, 'mi']` for `[100, 'km']`. */
export function toDisplayUnit(value: number, unit: string): [number, string] {
  const settings = current ?? METRIC_SETTINGS
  const labels = unitLabels(settings)
  switch (unit) {
    case 'km':
      return [convertDistance(value, settings.distanceUnit), labels.distance]
    case 'km/h':
      return [convertSpeed(value, settings.distanceUnit), labels.speed]
    case 'L':
      return [convertVolume(value, settings.volumeUnit), labels.volume]
    case '°C':
      return [convertTemperature(value, settings.temperatureUnit), labels.temperature]
    default:
      return [value, unit]
  }
}

/** An alert's message (written in metric) in the reader's units. */
export function toDisplayMessage(message: string): string {
  return localizeMessage(message, current ?? METRIC_SETTINGS)
}

/** The reader's time zone, or undefined for the browser's. */
export function readTimeZone(): string | undefined {
  return current?.timeZone
}
