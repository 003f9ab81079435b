import { ZCreateDriverInput, ZUpdateDriverInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { RecordFields, type TRecordField } from '../admin/record-fields'
import { useSaveForm } from '../admin/use-save-form'
import { EntityForm } from '../components/entity-form'
import { type RouterOutputs, useTRPC } from '../trpc'

export type TDriver = RouterOutputs['drivers']['list']['items'][number]

const DRIVER_FIELDS: TRecordField<TDriver>[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'employeeNumber', label: 'Employee number' },
  { name: 'phone', label: 'Phone', type: 'tel' },
  { name: 'licenceNumber', label: 'Licence number' },
  { name: 'licenceExpiry', label: 'Licence expiry', type: 'date' },
  { name: 'identifier', label: 'Identifier (RFID, iButton)', autoComplete: 'off' },
  { name: 'note', label: 'Note' },
]

/** A blank date input means "no expiry" (null); the schema turns other blanks to null itself. */
function readDriverValues(values: Record<string, string>) {
  return { ...values, licenceExpiry: values.licenceExpiry || null }
}

interface TDriverFormProps {
  /** The driver to edit; null to add one. */
  driver: TDriver | null
  onSaved: (message: string) => void
  onCancel: () => void
  /** A submit started: the page clears its last notice. */
  onSubmitting: () => void
}

/** Adds a driver or edits one, validated with the shared schema; the server's conflicts show per field. */
export function DriverForm({ driver, onSaved, onCancel, onSubmitting }: TDriverFormProps) {
  const trpc = useTRPC()
  const create = useMutation(trpc.drivers.create.mutationOptions())
  const update = useMutation(trpc.drivers.update.mutationOptions())
  const isEditing = driver !== null
  const form = useSaveForm({
    editingId: driver?.id ?? null,
    createSchema: ZCreateDriverInput,
    updateSchema: ZUpdateDriverInput,
    read: readDriverValues,
    save: (input) => ('id' in input ? update.mutateAsync(input) : create.mutateAsync(input)),
    queryKey: trpc.drivers.pathKey(),
    onSaved: (saved) => onSaved(`Driver ${saved.name} ${isEditing ? 'saved' : 'added'}.`),
  })

  return (
    <EntityForm
      heading={isEditing ? `Edit driver ${driver.name}` : 'Add a driver'}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel={isEditing ? 'Save driver' : 'Add driver'}
      onCancel={isEditing ? onCancel : undefined}
    >
      <RecordFields fields={DRIVER_FIELDS} record={driver} errors={form.fieldErrors} />
    </EntityForm>
  )
}
