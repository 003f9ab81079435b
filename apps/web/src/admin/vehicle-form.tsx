import {
  type TCreateVehicleInput,
  type TUpdateVehicleInput,
  VEHICLE_STATUSES,
  VEHICLE_TYPES,
  ZCreateVehicleInput,
  ZUpdateVehicleInput,
} from '@fms/api/schemas'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { z } from 'zod'
import { EntityForm } from '../components/entity-form'
import { SelectField, toOptions } from '../components/select-field'
import { TextField } from '../components/text-field'
import { useZodForm } from '../lib/use-zod-form'
import { type RouterOutputs, useTRPC } from '../trpc'

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
  const queryClient = useQueryClient()
  const create = useMutation(trpc.vehicles.create.mutationOptions())
  const update = useMutation(trpc.vehicles.update.mutationOptions())
  const isEditing = vehicle !== null

  const schema: z.ZodType<TCreateVehicleInput | TUpdateVehicleInput> = isEditing
    ? ZUpdateVehicleInput
    : ZCreateVehicleInput
  const form = useZodForm(
    schema,
    async (input, element) => {
      const saved =
        'id' in input ? await update.mutateAsync(input) : await create.mutateAsync(input)
      await queryClient.invalidateQueries({ queryKey: trpc.vehicles.pathKey() })
      element.reset()
      onSaved(`Vehicle ${saved.code} ${isEditing ? 'saved' : 'added'}.`)
    },
    {
      read: (values) =>
        isEditing ? { ...readVehicleValues(values), id: vehicle.id } : readVehicleValues(values),
    },
  )
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
