import {
  DISTANCE_UNITS,
  type TDisplaySettings,
  TEMPERATURE_UNITS,
  type TUserDisplaySettings,
  VOLUME_UNITS,
  WEEK_STARTS,
} from '@fms/api/schemas'
import { type FormEvent, useId } from 'react'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { listTimeZones } from '../lib/time-zones'

const LABELS: Record<string, string> = {
  km: 'Kilometres (km, km/h)',
  mi: 'Miles (mi, mph)',
  L: 'Litres (L)',
  gal: 'US gallons (gal)',
  C: 'Celsius (°C)',
  F: 'Fahrenheit (°F)',
  monday: 'Monday',
  sunday: 'Sunday',
}

const FIELDS = [
  { name: 'distanceUnit', label: 'Distance and speed', options: DISTANCE_UNITS },
  { name: 'volumeUnit', label: 'Volume', options: VOLUME_UNITS },
  { name: 'temperatureUnit', label: 'Temperature', options: TEMPERATURE_UNITS },
  { name: 'timeZone', label: 'Time zone', options: null },
  { name: 'weekStart', label: 'Weeks start on', options: WEEK_STARTS },
] as const

/**
 * The display settings as selects. With `inherited` (a user's own settings), each select has an
 * "organization default" choice that sends null.
 */
export function DisplaySettingsForm(props: {
  values: TDisplaySettings | TUserDisplaySettings
  inherited?: TDisplaySettings
  isPending: boolean
  error: string | null
  saved: boolean
  onSave: (values: Record<string, string | null>) => void
}) {
  const id = useId()
  const zones = listTimeZones()
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const values: Record<string, string | null> = {}
    for (const field of FIELDS) {
      const value = String(data.get(field.name) ?? '')
      values[field.name] = value === '' ? null : value
    }
    props.onSave(values)
  }
  return (
    <form onSubmit={submit} aria-label="Display settings">
      <FormAlert message={props.error} />
      {FIELDS.map((field) => {
        const options = field.options ?? zones
        const value = props.values[field.name] ?? ''
        return (
          <p key={field.name}>
            <label htmlFor={`${id}-${field.name}`}>{field.label}</label>
            <select id={`${id}-${field.name}`} name={field.name} defaultValue={value}>
              {props.inherited && (
                <option value="">
                  Organization default (
                  {LABELS[props.inherited[field.name]] ?? props.inherited[field.name]})
                </option>
              )}
              {options.map((option) => (
                <option key={option} value={option}>
                  {LABELS[option] ?? option}
                </option>
              ))}
            </select>
          </p>
        )
      })}
      <button type="submit" disabled={props.isPending}>
        {props.isPending ? 'Saving…' : 'Save settings'}
      </button>
      <StatusNotice message={props.saved ? 'Settings saved.' : null} />
    </form>
  )
}
