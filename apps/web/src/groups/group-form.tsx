import { ZCreateGroupInput, ZUpdateGroupInput } from '@fms/api/schemas'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useSaveForm } from '../admin/use-save-form'
import { EntityForm } from '../components/entity-form'
import { IdChoices } from '../components/id-choices'
import { TextField } from '../components/text-field'
import { VEHICLE_CHECKBOXES } from '../lib/id-checkboxes'
import { type RouterOutputs, useTRPC } from '../trpc'

export type TGroup = RouterOutputs['groups']['list']['items'][number]

/** Name, description and the ticked vehicles (all of the chosen, listed or not). */
function readGroupValues(values: Record<string, string>) {
  return {
    name: values.name,
    description: values.description,
    vehicleIds: VEHICLE_CHECKBOXES.readTicked(values),
  }
}

interface TGroupFormProps {
  /** The group to edit; null to add one. */
  group: TGroup | null
  onSaved: (message: string) => void
  onCancel: () => void
  /** A submit started: the page clears its last notice. */
  onSubmitting: () => void
}

/** Adds a vehicle group or edits one: its name, description and vehicles (searchable). */
export function GroupForm({ group, onSaved, onCancel, onSubmitting }: TGroupFormProps) {
  const trpc = useTRPC()
  const [search, setSearch] = useState('')
  const vehicles = useQuery(
    trpc.vehicles.list.queryOptions({
      search: search.trim() || undefined,
      sort: 'code',
      order: 'asc',
      limit: 100,
    }),
  )
  const create = useMutation(trpc.groups.create.mutationOptions())
  const update = useMutation(trpc.groups.update.mutationOptions())
  const isEditing = group !== null
  const form = useSaveForm({
    editingId: group?.id ?? null,
    createSchema: ZCreateGroupInput,
    updateSchema: ZUpdateGroupInput,
    read: readGroupValues,
    save: (input) => ('id' in input ? update.mutateAsync(input) : create.mutateAsync(input)),
    queryKey: trpc.groups.pathKey(),
    onSaved: (saved) => onSaved(`Group ${saved.name} ${isEditing ? 'saved' : 'added'}.`),
  })
  const options = (vehicles.data?.items ?? []).map((vehicle) => ({
    value: vehicle.id,
    label: vehicle.plate ? `${vehicle.code} (${vehicle.plate})` : vehicle.code,
  }))

  return (
    <EntityForm
      heading={isEditing ? `Edit group ${group.name}` : 'Add a group'}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel={isEditing ? 'Save group' : 'Add group'}
      onCancel={isEditing ? onCancel : undefined}
      layout="stack"
    >
      <div className="form-grid">
        <TextField
          name="name"
          label="Name"
          required
          maxLength={100}
          defaultValue={group?.name ?? ''}
          errors={form.fieldErrors.name}
        />
        <TextField
          name="description"
          label="Description"
          maxLength={1000}
          defaultValue={group?.description ?? ''}
          errors={form.fieldErrors.description}
        />
      </div>
      <IdChoices
        legend="Vehicles"
        hint="Users limited to this group see these vehicles. The list shows the first 100 matches: search to find others."
        errors={form.fieldErrors.vehicleIds}
        options={options}
        fieldName={VEHICLE_CHECKBOXES.fieldName}
        initial={group?.vehicleIds ?? []}
        what="vehicles"
        search={{ label: 'Search the fleet', value: search, onChange: setSearch }}
      />
    </EntityForm>
  )
}
