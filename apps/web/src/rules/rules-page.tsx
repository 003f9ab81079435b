import { type TCreateRuleInput, ZCreateRuleInput } from '@fms/api/schemas'
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { formatAlertKind, RULE_KIND_OPTIONS } from '../alerts/alert-kinds'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { EnableToggle } from '../components/enable-toggle'
import { EntityForm } from '../components/entity-form'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SelectField } from '../components/select-field'
import { StatusNotice } from '../components/status-notice'
import { TextField } from '../components/text-field'
import { formatReading } from '../lib/format'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'

function toNumberOrNull(value: string | undefined): number | null {
  return value === undefined || value.trim() === '' ? null : Number(value)
}

/** The form's strings as the schema's input: blanks are null, numbers are numbers. */
function readRuleValues(values: Record<string, string>) {
  return {
    kind: values.kind,
    threshold: toNumberOrNull(values.threshold),
    durationSec: toNumberOrNull(values.durationSec),
    vehicleId: values.vehicleId || null,
    geofenceId: values.geofenceId || null,
  }
}

function useGeofenceOptions() {
  const trpc = useTRPC()
  const geofences = useQuery(
    trpc.geofences.list.queryOptions({ sort: 'name', order: 'asc', limit: 100 }),
  )
  const items = geofences.data?.items ?? []
  return {
    names: new Map(items.map((geofence) => [geofence.id, geofence.name])),
    options: items.map((geofence) => ({ value: geofence.id, label: geofence.name })),
  }
}

/** Alert rules: admins create, enable or disable, and delete them. */
export function RulesPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const vehicles = useVehicleOptions()
  const geofences = useGeofenceOptions()
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useInfiniteQuery(
    trpc.rules.list.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: readNextCursor }),
  )
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.rules.pathKey() })
  const create = useMutation(trpc.rules.create.mutationOptions())
  const update = useMutation(
    trpc.rules.update.mutationOptions({
      onSuccess: (rule) =>
        setNotice(`Rule ${formatAlertKind(rule.kind)} ${rule.isEnabled ? 'enabled' : 'disabled'}.`),
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const remove = useMutation(
    trpc.rules.remove.mutationOptions({
      onSuccess: (rule) => setNotice(`Rule ${formatAlertKind(rule.kind)} deleted.`),
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const form = useZodForm<TCreateRuleInput>(
    ZCreateRuleInput,
    async (input, element) => {
      const rule = await create.mutateAsync(input)
      await invalidate()
      element.reset()
      setNotice(`Rule ${formatAlertKind(rule.kind)} added.`)
    },
    { read: readRuleValues },
  )
  const errors = form.fieldErrors
  const rules = flattenPages(list.data)

  return (
    <main className="page">
      <h1>Rules</h1>
      <StatusNotice message={notice} />
      <EntityForm
        heading="Add a rule"
        form={form}
        onSubmitting={() => setNotice(null)}
        submitLabel="Add rule"
      >
        <SelectField
          name="kind"
          label="Kind"
          options={RULE_KIND_OPTIONS}
          defaultValue="overspeed"
          errors={errors.kind}
        />
        <TextField
          name="threshold"
          label="Threshold"
          type="number"
          inputMode="decimal"
          step="any"
          errors={errors.threshold}
        />
        <TextField
          name="durationSec"
          label="Duration (seconds)"
          type="number"
          inputMode="numeric"
          errors={errors.durationSec}
        />
        <SelectField
          name="vehicleId"
          label="Vehicle"
          options={[{ value: '', label: 'All vehicles' }, ...vehicles.options]}
          defaultValue=""
          errors={errors.vehicleId}
        />
        <SelectField
          name="geofenceId"
          label="Geofence"
          options={[{ value: '', label: 'No geofence' }, ...geofences.options]}
          defaultValue=""
          errors={errors.geofenceId}
        />
      </EntityForm>
      <FormAlert message={actionError} />
      <DataTable
        caption="Rules"
        columns={['Kind', 'Threshold', 'Duration', 'Vehicle', 'Geofence', 'Status', 'Actions']}
      >
        {rules.map((rule) => {
          const name = formatAlertKind(rule.kind)
          return (
            <tr key={rule.id}>
              <th scope="row">{name}</th>
              <td>{formatReading(rule.threshold, '', 1)}</td>
              <td>{rule.durationSec === null ? '–' : `${rule.durationSec} s`}</td>
              <td>
                {rule.vehicleId ? (vehicles.codes.get(rule.vehicleId) ?? '–') : 'All vehicles'}
              </td>
              <td>{rule.geofenceId ? (geofences.names.get(rule.geofenceId) ?? '–') : '–'}</td>
              <td>{rule.isEnabled ? 'Enabled' : 'Disabled'}</td>
              <td className="row-actions">
                <EnableToggle
                  isEnabled={rule.isEnabled}
                  what="rule"
                  name={name}
                  disabled={update.isPending}
                  onToggle={() => {
                    setNotice(null)
                    setActionError(null)
                    update.mutate({ id: rule.id, isEnabled: !rule.isEnabled })
                  }}
                />
                <ConfirmAction
                  verb="Delete"
                  what="rule"
                  name={name}
                  isPending={remove.isPending}
                  onConfirm={() => {
                    setNotice(null)
                    setActionError(null)
                    remove.mutate({ id: rule.id })
                  }}
                />
              </td>
            </tr>
          )
        })}
      </DataTable>
      <ListFooter query={list} count={rules.length} what="rules" emptyText="No rules yet." />
    </main>
  )
}
