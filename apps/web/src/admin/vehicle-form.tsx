import {
  VEHICLE_STATUSES,
  VEHICLE_TYPES,
  ZCreateVehicleInput,
  ZUpdateVehicleInput,
} from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { EntityForm } from '../components/entity-form'
import { SelectField, toOptions } from '../components/select-field'
import { TextField } from '../components/text-field'
import { type RouterOutputs, useTRPC } from '../trpc'
import { useSaveForm } from './use-save-form'

export type TVehicle = RouterOutputs['vehicles']['list']['items'][number]

function readVehicleValues(values: Record<string, string>) {
  return { ...values, makeYear: values.makeYear ? Number(values.makeYear) : null }
}

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
  const errors = form.fieldErrors
  const heading = isEditing ? `Edit vehicle ${vehicle.code}` : 'Add a vehicle'

  return (
    <EntityForm
      heading={heading}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel={isEditing ? 'Save vehicle' : 'Add vehicle'}
      onCancel={isEditing ? onCancel : undefined}
    >
      <TextField
        name="code"
        label="Code"
        defaultValue={vehicle?.code}
        required
        errors={errors.code}
      />
      <TextField name="vin" label="VIN" defaultValue={vehicle?.vin} required errors={errors.vin} />
      <TextField
        name="plate"
        label="Plate"
        defaultValue={vehicle?.plate ?? ''}
        errors={errors.plate}
      />
      <TextField
        name="manufacturer"
        label="Manufacturer"
        defaultValue={vehicle?.manufacturer ?? ''}
        errors={errors.manufacturer}
      />
      <TextField
        name="model"
        label="Model"
        defaultValue={vehicle?.model ?? ''}
        errors={errors.model}
      />
      <TextField
        name="makeYear"
        label="Year"
        type="number"
        inputMode="numeric"
        defaultValue={vehicle?.makeYear ?? ''}
        errors={errors.makeYear}
      />
      <SelectField
        name="type"
        label="Type"
        options={toOptions(VEHICLE_TYPES)}
        defaultValue={vehicle?.type ?? 'truck'}
        errors={errors.type}
      />
      <SelectField
        name="status"
        label="Vehicle status"
        options={toOptions(VEHICLE_STATUSES)}
        defaultValue={vehicle?.status ?? 'active'}
        errors={errors.status}
      />
    </EntityForm>
  )
}
