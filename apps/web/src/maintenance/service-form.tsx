import { ZCompleteServiceInput } from '@fms/api/schemas'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { EntityForm } from '../components/entity-form'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import { formatDateTimeInput } from '../lib/local-day'
import { useZodForm } from '../lib/use-zod-form'
import { type RouterOutputs, useTRPC } from '../trpc'
import type { TSchedule } from './maintenance-due'

export type TReading = RouterOutputs['maintenance']['readings']['items'][number]

const DECIMAL = { type: 'number', inputMode: 'decimal', step: 'any', min: 0 } as const

/** The date is local time; blank readings are left to the server (the vehicle's now). */
function readServiceValues(values: Record<string, string>) {
  const toNumber = (value: string | undefined) => (value ? Number(value) : undefined)
  return {
    ...values,
    scheduleId: values.scheduleId || null,
    performedAt: values.performedAt ? new Date(values.performedAt) : undefined,
    odometerKm: toNumber(values.odometerKm),
    engineHours: toNumber(values.engineHours),
    cost: values.cost ? Number(values.cost) : null,
  }
}

interface TServiceFormProps {
  schedules: readonly TSchedule[]
  readings: readonly TReading[]
  onSaved: (message: string) => void
  onSubmitting: () => void
}

/**
 * Logs a service done on a vehicle, optionally completing one of its schedules (which then
 * counts again from this service). Odometer and engine hours start at the vehicle's readings now.
 */
export function ServiceForm({ schedules, readings, onSaved, onSubmitting }: TServiceFormProps) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const complete = useMutation(trpc.maintenance.complete.mutationOptions())
  const [vehicleId, setVehicleId] = useState('')
  // A new "now" for each service logged: the form remounts after a save.
  const [formKey, setFormKey] = useState(0)
  const reading = readings.find((item) => item.vehicleId === vehicleId)
  const vehicleSchedules = schedules.filter((schedule) =>
    schedule.vehicles.some((due) => due.vehicleId === vehicleId),
  )
  const form = useZodForm(
    ZCompleteServiceInput,
    async (input) => {
      await complete.mutateAsync(input)
      await queryClient.invalidateQueries({ queryKey: trpc.maintenance.pathKey() })
      const schedule = schedules.find((item) => item.id === input.scheduleId)
      const code = reading?.vehicleCode ?? 'the vehicle'
      onSaved(`Service logged for ${code}${schedule ? ` (${schedule.name})` : ''}.`)
      setVehicleId('')
      setFormKey((key) => key + 1)
    },
    { read: readServiceValues },
  )

  return (
    <EntityForm
      key={formKey}
      heading="Log a service"
      form={form}
      onSubmitting={onSubmitting}
      submitLabel="Log service"
    >
      <SelectField
        name="vehicleId"
        label="Vehicle"
        value={vehicleId}
        onChange={(event) => setVehicleId(event.target.value)}
        options={[
          { value: '', label: 'Choose a vehicle' },
          ...readings.map((item) => ({ value: item.vehicleId, label: item.vehicleCode })),
        ]}
        errors={form.fieldErrors.vehicleId}
      />
      <SelectField
        key={`schedule-${vehicleId}`}
        name="scheduleId"
        label="Schedule"
        options={[
          { value: '', label: 'None (other work)' },
          ...vehicleSchedules.map((schedule) => ({ value: schedule.id, label: schedule.name })),
        ]}
        errors={form.fieldErrors.scheduleId}
      />
      <TextField
        name="performedAt"
        label="Date"
        type="datetime-local"
        defaultValue={formatDateTimeInput(Date.now())}
        errors={form.fieldErrors.performedAt}
      />
      <TextField
        key={`odometer-${vehicleId}`}
        name="odometerKm"
        label="Odometer (km)"
        {...DECIMAL}
        defaultValue={reading?.odometerKm ?? ''}
        errors={form.fieldErrors.odometerKm}
      />
      <TextField
        key={`hours-${vehicleId}`}
        name="engineHours"
        label="Engine hours"
        {...DECIMAL}
        defaultValue={reading?.engineHours ?? ''}
        errors={form.fieldErrors.engineHours}
      />
      <TextField name="cost" label="Cost" {...DECIMAL} errors={form.fieldErrors.cost} />
      <TextField name="notes" label="Notes" errors={form.fieldErrors.notes} />
    </EntityForm>
  )
}
