import { ZCreateSubscriptionInput, ZUpdateSubscriptionInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useSaveForm } from '../admin/use-save-form'
import { ALERT_KIND_OPTIONS } from '../alerts/alert-kinds'
import { EntityForm } from '../components/entity-form'
import { TextField } from '../components/text-field'
import { findBrowserTimeZone, listTimeZones } from '../lib/time-zones'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useTRPC } from '../trpc'
import { toKindFieldName } from '../webhooks/webhook-values'
import {
  CHANNEL_OPTIONS,
  readSubscriptionValues,
  type TSubscription,
  toChannelFieldName,
  toVehicleErrors,
  toVehicleFieldName,
} from './subscription-values'

export const EMAIL_OFF_NOTE =
  'Email is off on this server (no SMTP configured); notifications are shown in the app only'

const TIME_ZONES = listTimeZones()

interface TSubscriptionFormProps {
  /** The subscription to edit; null to add one. */
  subscription: TSubscription | null
  /** False: the email box is off, with a note saying why; null while not known. */
  isEmailEnabled: boolean | null
  onSaved: (message: string) => void
  onCancel: () => void
  onSubmitting: () => void
}

/** Errors of a group of boxes, or its hint when there are none. */
function GroupHint({ id, errors, hint }: { id: string; errors?: string[]; hint: string }) {
  return (
    <p id={id} className="muted">
      {errors?.length ? <span className="field-error">{errors.join(' ')}</span> : hint}
    </p>
  )
}

/**
 * Adds or edits one subscription: alert kinds (none ticked: all), all vehicles or chosen ones,
 * channels, quiet hours in a time zone (the browser's by default), an optional email digest.
 * Validated with the shared schema; the server's field errors are shown by their fields.
 */
export function SubscriptionForm(props: TSubscriptionFormProps) {
  const { subscription, isEmailEnabled, onSaved, onCancel, onSubmitting } = props
  const trpc = useTRPC()
  const vehicles = useVehicleOptions()
  const ids = {
    kinds: useId(),
    vehicles: useId(),
    channels: useId(),
    quiet: useId(),
    zones: useId(),
    emailOff: useId(),
  }
  const [isAllVehicles, setIsAllVehicles] = useState(subscription?.vehicleIds == null)
  const create = useMutation(trpc.notifications.subscriptions.create.mutationOptions())
  const update = useMutation(trpc.notifications.subscriptions.update.mutationOptions())
  const isEditing = subscription !== null
  const form = useSaveForm({
    editingId: subscription?.id ?? null,
    createSchema: ZCreateSubscriptionInput,
    updateSchema: ZUpdateSubscriptionInput,
    read: readSubscriptionValues,
    save: (input) => ('id' in input ? update.mutateAsync(input) : create.mutateAsync(input)),
    queryKey: trpc.notifications.subscriptions.pathKey(),
    onSaved: () => {
      setIsAllVehicles(true)
      onSaved(isEditing ? 'Subscription saved.' : 'Subscription added.')
    },
  })
  const errors = form.fieldErrors
  const kinds = subscription?.kinds ?? []
  const chosenVehicles = new Set(subscription?.vehicleIds ?? [])
  const channels = subscription?.channels ?? ['in_app', 'email']
  const isEmailOff = isEmailEnabled === false
  const vehicleErrors = toVehicleErrors(errors.vehicleIds)
  // Chosen vehicles beyond the listed ones (the first 100 by code) are kept as they are.
  const listed = new Set(vehicles.options.map((option) => option.value))
  const unlisted = [...chosenVehicles].filter((id) => !listed.has(id))

  return (
    <EntityForm
      heading={isEditing ? 'Edit subscription' : 'Add a subscription'}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel={isEditing ? 'Save subscription' : 'Add subscription'}
      onCancel={isEditing ? onCancel : undefined}
      layout="stack"
    >
      <fieldset
        className="kind-choices"
        aria-describedby={ids.kinds}
        aria-invalid={errors.kinds?.length ? true : undefined}
      >
        <legend>Alert kinds</legend>
        <GroupHint id={ids.kinds} errors={errors.kinds} hint="Tick none for all kinds." />
        <div className="kind-grid">
          {ALERT_KIND_OPTIONS.map((option) => (
            <label key={option.value} className="checkbox-label">
              <input
                type="checkbox"
                name={toKindFieldName(option.value)}
                defaultChecked={kinds.includes(option.value)}
              />{' '}
              {option.label}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset
        className="kind-choices"
        aria-describedby={ids.vehicles}
        aria-invalid={vehicleErrors?.length ? true : undefined}
      >
        <legend>Vehicles</legend>
        <GroupHint
          id={ids.vehicles}
          errors={vehicleErrors}
          hint="All vehicles, or the ones you tick."
        />
        <div className="choice-row">
          <label className="checkbox-label">
            <input
              type="radio"
              name="vehicleScope"
              value="all"
              checked={isAllVehicles}
              onChange={() => setIsAllVehicles(true)}
            />{' '}
            All vehicles
          </label>
          <label className="checkbox-label">
            <input
              type="radio"
              name="vehicleScope"
              value="chosen"
              checked={!isAllVehicles}
              onChange={() => setIsAllVehicles(false)}
            />{' '}
            Chosen vehicles
          </label>
        </div>
        {!isAllVehicles &&
          unlisted.map((id) => (
            <input key={id} type="hidden" name={toVehicleFieldName(id)} value="on" />
          ))}
        {!isAllVehicles && listed.size > 0 && unlisted.length > 0 && (
          <p className="muted">
            And {unlisted.length} more chosen vehicles, not listed here (kept).
          </p>
        )}
        {!isAllVehicles && (
          <div className="kind-grid">
            {vehicles.options.length === 0 && <p className="muted">No vehicles yet.</p>}
            {vehicles.options.map((option) => (
              <label key={option.value} className="checkbox-label">
                <input
                  type="checkbox"
                  name={toVehicleFieldName(option.value)}
                  defaultChecked={chosenVehicles.has(option.value)}
                />{' '}
                {option.label}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset
        className="kind-choices"
        aria-describedby={ids.channels}
        aria-invalid={errors.channels?.length ? true : undefined}
      >
        <legend>Channels</legend>
        <GroupHint
          id={ids.channels}
          errors={errors.channels}
          hint="In the app (the bell), by email, or both."
        />
        <div className="choice-row">
          {CHANNEL_OPTIONS.map((option) => {
            const name = toChannelFieldName(option.value)
            const isOff = option.value === 'email' && isEmailOff
            const isChecked = channels.includes(option.value)
            return (
              <label key={option.value} className="checkbox-label">
                <input
                  type="checkbox"
                  name={name}
                  defaultChecked={isChecked && !isOff}
                  disabled={isOff}
                  aria-describedby={isOff ? ids.emailOff : undefined}
                />{' '}
                {option.label}
                {/* Email stays as it was while the server sends none: the box is off, not unticked. */}
                {isOff && isEditing && isChecked && <input type="hidden" name={name} value="on" />}
              </label>
            )
          })}
        </div>
        {isEmailOff && (
          <p id={ids.emailOff} className="email-off-note" data-testid="email-off-note">
            {EMAIL_OFF_NOTE}
          </p>
        )}
      </fieldset>
      <fieldset
        className="kind-choices"
        aria-describedby={ids.quiet}
        aria-invalid={errors.quietHours?.length ? true : undefined}
      >
        <legend>Quiet hours (emails wait until they end)</legend>
        <GroupHint
          id={ids.quiet}
          errors={errors.quietHours}
          hint="Leave both blank for none; local times in the time zone below."
        />
        <div className="form-grid">
          <TextField
            name="quietFrom"
            label="Quiet from"
            type="time"
            defaultValue={subscription?.quietHours?.from ?? ''}
          />
          <TextField
            name="quietTo"
            label="Quiet until"
            type="time"
            defaultValue={subscription?.quietHours?.to ?? ''}
          />
          <TextField
            name="timeZone"
            label="Time zone"
            list={ids.zones}
            autoComplete="off"
            defaultValue={subscription?.timeZone ?? findBrowserTimeZone()}
            errors={errors.timeZone}
          />
          <TextField
            name="digestMinutes"
            label="Email digest (minutes, optional)"
            type="number"
            inputMode="numeric"
            min={5}
            max={1440}
            step={1}
            placeholder="One email per alert"
            defaultValue={subscription?.digestMinutes ?? ''}
            errors={errors.digestMinutes}
          />
        </div>
        <datalist id={ids.zones}>
          {TIME_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </fieldset>
      <label className="checkbox-label">
        <input type="checkbox" name="isEnabled" defaultChecked={subscription?.isEnabled ?? true} />{' '}
        Enabled
      </label>
    </EntityForm>
  )
}
