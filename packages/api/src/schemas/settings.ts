import { z } from 'zod'
import { ZTimeZone } from './time-range.ts'

export const DISTANCE_UNITS = ['km', 'mi'] as const
export const VOLUME_UNITS = ['L', 'gal'] as const
export const TEMPERATURE_UNITS = ['C', 'F'] as const
export const WEEK_STARTS = ['monday', 'sunday'] as const

export type DistanceUnit = (typeof DISTANCE_UNITS)[number]
export type VolumeUnit = (typeof VOLUME_UNITS)[number]
export type TemperatureUnit = (typeof TEMPERATURE_UNITS)[number]
export type WeekStart = (typeof WEEK_STARTS)[number]

const fields = {
  distanceUnit: z.enum(DISTANCE_UNITS),
  volumeUnit: z.enum(VOLUME_UNITS),
  temperatureUnit: z.enum(TEMPERATURE_UNITS),
  timeZone: ZTimeZone,
  weekStart: z.enum(WEEK_STARTS),
}

/** Display settings: how distances, volumes, temperatures and times are shown. */
export const ZDisplaySettings = z.object(fields)
export type TDisplaySettings = z.infer<typeof ZDisplaySettings>

/** A user's own settings: null where the organization's apply. */
export const ZUserDisplaySettings = z.object({
  distanceUnit: fields.distanceUnit.nullable(),
  volumeUnit: fields.volumeUnit.nullable(),
  temperatureUnit: fields.temperatureUnit.nullable(),
  timeZone: fields.timeZone.nullable(),
  weekStart: fields.weekStart.nullable(),
})
export type TUserDisplaySettings = z.infer<typeof ZUserDisplaySettings>

/** `settings.update` (admin): the organization's defaults; fields left out stay. */
export const ZUpdateSettingsInput = ZDisplaySettings.partial().strict()
export type TUpdateSettingsInput = z.infer<typeof ZUpdateSettingsInput>

/** `settings.updateMine`: the caller's overrides; null goes back to the organization's. */
export const ZUpdateMySettingsInput = ZUserDisplaySettings.partial().strict()
export type TUpdateMySettingsInput = z.infer<typeof ZUpdateMySettingsInput>

/** The settings that apply: each of the user's, else the organization's. */
export function mergeSettings(
  org: TDisplaySettings,
  mine: TUserDisplaySettings | null,
): TDisplaySettings {
  return {
    distanceUnit: mine?.distanceUnit ?? org.distanceUnit,
    volumeUnit: mine?.volumeUnit ?? org.volumeUnit,
    temperatureUnit: mine?.temperatureUnit ?? org.temperatureUnit,
    timeZone: mine?.timeZone ?? org.timeZone,
    weekStart: mine?.weekStart ?? org.weekStart,
  }
}

export const METRIC_SETTINGS: TDisplaySettings = {
  distanceUnit: 'km',
  volumeUnit: 'L',
  temperatureUnit: 'C',
  timeZone: 'UTC',
  weekStart: 'monday',
}
