import {
  VEHICLE_STATUSES,
  VEHICLE_TYPES,
  ZCreateVehicleInput,
  ZUpdateVehicleInput,
} from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { EntityForm } from '../components/entity-form'
import { IdChoices } from '../components/id-choices'
import { toOptions } from '../components/select-field'
import { useGroupOptions } from '../groups/use-group-options'
import { GROUP_CHECKBOXES } from '../lib/id-checkboxes'
import { type RouterOutputs, useTRPC } from '../trpc'
import { RecordFields, type TRecordField } from './record-fields'
import { useSaveForm } from './use-save-form'

export type TVehicle = RouterOutputs['vehicles']['list']['items'][number]

/** Blank numbers: no year and no tank size (null), offsets of nothing (0). */
function readVehicleValues(values: Record<string, string>) {
  return {
    ...values,
    makeYear: values.makeYear ? Number(values.makeYear) : null,
    fuelTankLitres: values.fuelTankLitres ? Number(values.fuelTankLitres) : null,
    odometerOffsetKm: values.odometerOffsetKm ? Number(values.odometerOffsetKm) : 0,
    engineHoursOffset: values.engineHoursOffset ? Number(values.engineHoursOffset) : 0,
    groupIds: GROUP_CHECKBOXES.readTicked(values),
  }
}

const DECIMAL = { type: 'number', inputMode: 'decimal', step: 'any' } as const

const VEHICLE_FIELDS: TRecordField<TVehicle>[] = [
  { name: 'code', label: 'Code', required: true },
  { name: 'vin', label: 'VIN', required: true },
  { name: 'plate', label: 'Plate' },
  { name: 'manufacturer', label: 'Manufacturer' },
  { name: 'model', label: 'Model' },
  { name: 'makeYear', label: 'Year', type: 'number', inputMode: 'numeric' },
  { name: 'type', label: 'Type', options: toOptions(VEHICLE_TYPES), fallback: 'truck' },
  {
    name: 'status',
    label: 'Vehicle status',
    options: toOptions(VEHICLE_STATUSES),
    fallback: 'active',
  },
  { name: 'fuelTankLitres', label: 'Tank size (L)', min: 0, ...DECIMAL },
  { name: 'odometerOffsetKm', label: 'Odometer offset (km)', ...DECIMAL },
  { name: 'engineHoursOffset', label: 'Engine hours offset', ...DECIMAL },
]

interface TVehicleFormProps {
  /** The vehicle to edit; null to create one. */
  vehicle: TVehicle | null
  onSaved: (message: string) => void
  onCancel: () => void
  /** A submit started: the page clears its last notice. */
  onSubmitting: () => void
}

/** Creates a vehicle, or edits one. Fields are validated with the shared schema. */
export function VehicleForm({ vehicle, onSaved, onCancel, onSubmitting }: TVehicleFormProps) {
  const trpc = useTRPC()
  const groups = useGroupOptions()
  const create = useMutation(trpc.vehicles.create.mutationOptions())
  const update = useMutation(trpc.vehicles.update.mutationOptions())
  const isEditing = vehicle !== null
  const form = useSaveForm({
    editingId: vehicle?.id ?? null,
    createSchema: ZCreateVehicleInput,
    updateSchema: ZUpdateVehicleInput,
    read: readVehicleValues,
    save: (input) => ('id' in input ? update.mutateAsync(input) : create.mutateAsync(input)),
    queryKey: trpc.vehicles.pathKey(),
    onSaved: (saved) => onSaved(`Vehicle ${saved.code} ${isEditing ? 'saved' : 'added'}.`),
  })
  const heading = isEditing ? `Edit vehicle ${vehicle.code}` : 'Add a vehicle'

  return (
    <EntityForm
      heading={heading}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel={isEditing ? 'Save vehicle' : 'Add vehicle'}
      onCancel={isEditing ? onCancel : undefined}
    >
      <RecordFields fields={VEHICLE_FIELDS} record={vehicle} errors={form.fieldErrors} />
      {(groups.options.length > 0 || (vehicle?.groupIds.length ?? 0) > 0) && (
        <div className="form-wide">
          <IdChoices
            legend="Groups"
            hint="Users limited to groups see this vehicle only when it is in one of theirs."
            errors={form.fieldErrors.groupIds}
            options={groups.options}
            fieldName={GROUP_CHECKBOXES.fieldName}
            initial={vehicle?.groupIds ?? []}
            what="groups"
          />
        </div>
      )}
    </EntityForm>
  )
}
