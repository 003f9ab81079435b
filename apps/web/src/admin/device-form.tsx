import { DEVICE_STATUSES, ZCreateDeviceInput, ZUpdateDeviceInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { EntityForm } from '../components/entity-form'
import { toOptions } from '../components/select-field'
import { type RouterOutputs, useTRPC } from '../trpc'
import { RecordFields, type TRecordField } from './record-fields'
import { useSaveForm } from './use-save-form'

export type TDevice = RouterOutputs['devices']['list']['items'][number]
type TOption = { value: string; label: string }

/** Blank optional identifiers and links mean "none" (null), not an empty string. */
function readDeviceValues(values: Record<string, string>) {
  const orNull = (value: string | undefined) => (value ? value : null)
  return {
    ...values,
    macAddress: orNull(values.macAddress),
    externalId: orNull(values.externalId),
    vehicleId: orNull(values.vehicleId),
    tokenId: orNull(values.tokenId),
  }
}

interface TDeviceFormProps {
  device: TDevice | null
  vehicleOptions: TOption[]
  tokenOptions: TOption[]
  onSaved: (message: string) => void
  onCancel: () => void
  /** A submit started: the page clears its last notice. */
  onSubmitting: () => void
}

/** Creates a device or edits one: its identifiers, the vehicle it sits in and its API token. */
export function DeviceForm(props: TDeviceFormProps) {
  const { device, vehicleOptions, tokenOptions, onSaved, onCancel, onSubmitting } = props
  const trpc = useTRPC()
  const create = useMutation(trpc.devices.create.mutationOptions())
  const update = useMutation(trpc.devices.update.mutationOptions())
  const isEditing = device !== null
  const form = useSaveForm({
    editingId: device?.id ?? null,
    createSchema: ZCreateDeviceInput,
    updateSchema: ZUpdateDeviceInput,
    read: readDeviceValues,
    save: (input) => ('id' in input ? update.mutateAsync(input) : create.mutateAsync(input)),
    queryKey: trpc.devices.pathKey(),
    onSaved: (saved) =>
      onSaved(`Device ${describeDevice(saved)} ${isEditing ? 'saved' : 'added'}.`),
  })
  const heading = isEditing ? `Edit device ${describeDevice(device)}` : 'Add a device'
  const none = { value: '', label: 'None' }
  const fields: TRecordField<TDevice>[] = [
    { name: 'externalId', label: 'External ID (IMEI or serial)' },
    { name: 'macAddress', label: 'MAC address', placeholder: 'AA:BB:CC:DD:EE:FF' },
    { name: 'model', label: 'Device model' },
    { name: 'vehicleId', label: 'Vehicle', options: [none, ...vehicleOptions] },
    { name: 'tokenId', label: 'API token', options: [none, ...tokenOptions] },
    {
      name: 'status',
      label: 'Device status',
      options: toOptions(DEVICE_STATUSES),
      fallback: 'active',
    },
  ]

  return (
    <EntityForm
      heading={heading}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel={isEditing ? 'Save device' : 'Add device'}
      onCancel={isEditing ? onCancel : undefined}
    >
      <RecordFields fields={fields} record={device} errors={form.fieldErrors} />
    </EntityForm>
  )
}

/** How a device is named to people: its external id, else its MAC, else its id's start. */
export function describeDevice(device: Pick<TDevice, 'externalId' | 'macAddress' | 'id'>): string {
  return device.externalId ?? device.macAddress ?? device.id.slice(0, 8)
}
