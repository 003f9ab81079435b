import { VEHICLE_TYPES, ZCreateScheduleInput, ZUpdateScheduleInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { RecordFields, type TRecordField } from '../admin/record-fields'
import { useSaveForm } from '../admin/use-save-form'
import { EntityForm } from '../components/entity-form'
import { toOptions } from '../components/select-field'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useTRPC } from '../trpc'
import type { TSchedule } from './maintenance-due'

const NUMBER_FIELDS = ['everyKm', 'everyHours', 'everyDays', 'warnKm', 'warnHours', 'warnDays']
const DECIMAL = { type: 'number', inputMode: 'decimal', step: 'any', min: 0 } as const

/** Blanks are "not this one" (null): no vehicle, no type, no such interval or margin. */
function readScheduleValues(values: Record<string, string>) {
  const read: Record<string, unknown> = {
    ...values,
    vehicleId: values.vehicleId || null,
    vehicleType: values.vehicleType || null,
  }
  for (const name of NUMBER_FIELDS) read[name] = values[name] ? Number(values[name]) : null
  return read
}

interface TScheduleFormProps {
  /** The schedule to edit; null to add one. */
  schedule: TSchedule | null
  onSaved: (message: string) => void
  onCancel: () => void
  onSubmitting: () => void
}

/**
 * Adds or edits a service schedule (admins): one vehicle or every vehicle of a type, due after
 * whichever interval comes first, "due soon" within its margins. Validated with the shared schema.
 */
export function ScheduleForm({ schedule, onSaved, onCancel, onSubmitting }: TScheduleFormProps) {
  const trpc = useTRPC()
  const vehicles = useVehicleOptions()
  const create = useMutation(trpc.maintenance.create.mutationOptions())
  const update = useMutation(trpc.maintenance.update.mutationOptions())
  const isEditing = schedule !== null
  const form = useSaveForm({
    editingId: schedule?.id ?? null,
    createSchema: ZCreateScheduleInput,
    updateSchema: ZUpdateScheduleInput,
    read: readScheduleValues,
    save: (input) => ('id' in input ? update.mutateAsync(input) : create.mutateAsync(input)),
    queryKey: trpc.maintenance.pathKey(),
    onSaved: (saved) => onSaved(`Schedule ${saved.name} ${isEditing ? 'saved' : 'added'}.`),
  })
  const fields: TRecordField<TSchedule>[] = [
    { name: 'name', label: 'Name', required: true },
    {
      name: 'vehicleId',
      label: 'Vehicle',
      options: [{ value: '', label: 'None (use the type)' }, ...vehicles.options],
    },
    {
      name: 'vehicleType',
      label: 'Or every vehicle of type',
      options: [{ value: '', label: 'None (one vehicle)' }, ...toOptions(VEHICLE_TYPES)],
    },
    { name: 'everyKm', label: 'Every (km)', ...DECIMAL },
    { name: 'everyHours', label: 'Every (engine hours)', ...DECIMAL },
    { name: 'everyDays', label: 'Every (days)', ...DECIMAL },
    { name: 'warnKm', label: 'Due soon within (km)', ...DECIMAL },
    { name: 'warnHours', label: 'Due soon within (hours)', ...DECIMAL },
    { name: 'warnDays', label: 'Due soon within (days)', ...DECIMAL },
    { name: 'notes', label: 'Notes' },
  ]

  return (
    <EntityForm
      heading={isEditing ? `Edit schedule ${schedule.name}` : 'Add a schedule'}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel={isEditing ? 'Save schedule' : 'Add schedule'}
      onCancel={isEditing ? onCancel : undefined}
    >
      <RecordFields fields={fields} record={schedule} errors={form.fieldErrors} />
    </EntityForm>
  )
}
