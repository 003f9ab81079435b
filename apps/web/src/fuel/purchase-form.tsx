import { ZCreatePurchaseInput } from '@fms/api/schemas'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { EntityForm } from '../components/entity-form'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import { formatDateTimeInput } from '../lib/local-day'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'

const DECIMAL = { type: 'number', inputMode: 'decimal', step: 'any', min: 0 } as const

/** The time is local; a blank price is none (null). */
function readPurchaseValues(values: Record<string, string>) {
  return {
    ...values,
    time: values.time ? new Date(values.time) : undefined,
    litres: values.litres ? Number(values.litres) : undefined,
    price: values.price ? Number(values.price) : null,
  }
}

interface TPurchaseFormProps {
  onSaved: (message: string) => void
  onSubmitting: () => void
}

/** Adds a fuel receipt (anyone signed in); the list then checks it against the tank level. */
export function PurchaseForm({ onSaved, onSubmitting }: TPurchaseFormProps) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const vehicles = useVehicleOptions()
  const create = useMutation(trpc.fuel.create.mutationOptions())
  // A new "now" for each receipt: the form remounts after a save.
  const [formKey, setFormKey] = useState(0)
  const form = useZodForm(
    ZCreatePurchaseInput,
    async (input) => {
      await create.mutateAsync(input)
      await queryClient.invalidateQueries({ queryKey: trpc.fuel.pathKey() })
      const code = vehicles.codes.get(input.vehicleId) ?? 'the vehicle'
      onSaved(`Fuel purchase of ${input.litres} L added for ${code}.`)
      setFormKey((key) => key + 1)
    },
    { read: readPurchaseValues },
  )

  return (
    <EntityForm
      key={formKey}
      heading="Add a fuel purchase"
      form={form}
      onSubmitting={onSubmitting}
      submitLabel="Add purchase"
    >
      <SelectField
        name="vehicleId"
        label="Vehicle"
        options={[{ value: '', label: 'Choose a vehicle' }, ...vehicles.options]}
        errors={form.fieldErrors.vehicleId}
      />
      <TextField
        name="time"
        label="Time"
        type="datetime-local"
        defaultValue={formatDateTimeInput(Date.now())}
        errors={form.fieldErrors.time}
      />
      <TextField name="litres" label="Litres" {...DECIMAL} errors={form.fieldErrors.litres} />
      <TextField name="price" label="Price" {...DECIMAL} errors={form.fieldErrors.price} />
      <TextField name="station" label="Station" errors={form.fieldErrors.station} />
      <TextField name="notes" label="Notes" errors={form.fieldErrors.notes} />
    </EntityForm>
  )
}
