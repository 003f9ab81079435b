import { ZCreateReportScheduleInput, ZUpdateReportScheduleInput } from '@fms/api/schemas'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useId, useMemo } from 'react'
import { useSaveForm } from '../admin/use-save-form'
import { EntityForm } from '../components/entity-form'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import { listTimeZones } from '../lib/time-zones'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useTRPC } from '../trpc'
import {
  FREQUENCY_OPTIONS,
  readScheduleValues,
  SEND_HOUR_OPTIONS,
  type TReportSchedule,
  toRecipientFieldName,
  toVehicleFieldName,
} from './report-schedule-values'

interface TChoicesProps {
  legend: string
  hint: string
  errors: string[] | undefined
  options: { value: string; label: string }[]
  fieldName: (id: string) => string
  checked: readonly string[]
  /** What the ids are, for the note on chosen ones not listed (`vehicles`). */
  what: string
}

/**
 * A fieldset of checkboxes whose error (or hint) is announced with it. Chosen ids the options
 * don't list (beyond the first 100, or all of them while the list loads) are sent back as they
 * are, with a note: saving never drops them.
 */
function Choices({ legend, hint, errors, options, fieldName, checked, what }: TChoicesProps) {
  const hintId = useId()
  const listed = new Set(options.map((option) => option.value))
  const unlisted = checked.filter((id) => !listed.has(id))
  return (
    <fieldset
      className="schedule-choices"
      aria-describedby={hintId}
      aria-invalid={errors?.length ? true : undefined}
    >
      <legend>{legend}</legend>
      <p id={hintId} className="muted">
        {errors?.length ? <span className="field-error">{errors.join(' ')}</span> : hint}
      </p>
      <div className="schedule-choice-grid">
        {options.map((option) => (
          <label key={option.value} className="checkbox-label">
            <input
              type="checkbox"
              name={fieldName(option.value)}
              defaultChecked={checked.includes(option.value)}
            />{' '}
            {option.label}
          </label>
        ))}
      </div>
      {unlisted.map((id) => (
        <input key={id} type="hidden" name={fieldName(id)} value="on" />
      ))}
      {unlisted.length > 0 && (
        <p className="muted">
          And {unlisted.length} more chosen {what}, not listed here (kept).
        </p>
      )}
    </fieldset>
  )
}

interface TReportScheduleFormProps {
  /** The schedule to edit; null to add one. */
  schedule: TReportSchedule | null
  orgTimeZone: string
  onSaved: (message: string) => void
  onCancel: () => void
  /** A submit started: the page clears its last notice. */
  onSubmitting: () => void
}

/** Adds a report schedule or edits one: name, frequency, send hour, zone, recipients, vehicles. */
export function ReportScheduleForm(props: TReportScheduleFormProps) {
  const { schedule, orgTimeZone, onSaved, onCancel, onSubmitting } = props
  const trpc = useTRPC()
  const users = useQuery(trpc.users.list.queryOptions({ sort: 'email', order: 'asc', limit: 100 }))
  const vehicles = useVehicleOptions()
  const zones = useMemo(
    () => [
      { value: '', label: `The organization's (${orgTimeZone})` },
      ...listTimeZones().map((zone) => ({ value: zone, label: zone })),
    ],
    [orgTimeZone],
  )
  const create = useMutation(trpc.reports.schedules.create.mutationOptions())
  const update = useMutation(trpc.reports.schedules.update.mutationOptions())
  const isEditing = schedule !== null
  const form = useSaveForm({
    editingId: schedule?.id ?? null,
    createSchema: ZCreateReportScheduleInput,
    updateSchema: ZUpdateReportScheduleInput,
    read: readScheduleValues,
    save: (input) => ('id' in input ? update.mutateAsync(input) : create.mutateAsync(input)),
    queryKey: trpc.reports.schedules.pathKey(),
    onSaved: (saved) => onSaved(`Report schedule ${saved.name} ${isEditing ? 'saved' : 'added'}.`),
  })
  const errors = form.fieldErrors
  const recipientOptions = (users.data?.items ?? []).map((user) => ({
    value: user.id,
    label: user.email,
  }))

  return (
    <EntityForm
      heading={isEditing ? `Edit report schedule ${schedule.name}` : 'Add a report schedule'}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel={isEditing ? 'Save schedule' : 'Add schedule'}
      onCancel={isEditing ? onCancel : undefined}
      layout="stack"
    >
      <div className="form-grid schedule-timing">
        <TextField
          name="name"
          label="Name"
          required
          maxLength={100}
          defaultValue={schedule?.name ?? ''}
          errors={errors.name}
        />
        <SelectField
          name="frequency"
          label="Frequency"
          options={FREQUENCY_OPTIONS}
          defaultValue={schedule?.frequency ?? 'daily'}
          errors={errors.frequency}
        />
        <SelectField
          name="sendHour"
          label="Send at"
          options={SEND_HOUR_OPTIONS}
          defaultValue={String(schedule?.sendHour ?? 6)}
          errors={errors.sendHour}
        />
        <SelectField
          name="timeZone"
          label="Time zone"
          options={zones}
          defaultValue={schedule?.timeZone ?? ''}
          errors={errors.timeZone}
        />
      </div>
      <Choices
        legend="Recipients"
        hint="Only users who verified their email address receive it."
        errors={errors.recipientUserIds}
        options={recipientOptions}
        fieldName={toRecipientFieldName}
        checked={schedule?.recipientUserIds ?? []}
        what="recipients"
      />
      <Choices
        legend="Vehicles"
        hint="Tick none to report on every vehicle."
        errors={errors.vehicleIds}
        options={vehicles.options}
        fieldName={toVehicleFieldName}
        checked={schedule?.vehicleIds ?? []}
        what="vehicles"
      />
      <label className="schedule-enabled">
        <input type="checkbox" name="isEnabled" defaultChecked={schedule?.isEnabled ?? true} />{' '}
        Enabled: send the report when it is due
      </label>
    </EntityForm>
  )
}
