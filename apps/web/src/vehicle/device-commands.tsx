import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { ConfirmButton } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { readFormError } from '../lib/form-errors'
import { formatDateTime } from '../lib/format'
import { useTRPC } from '../trpc'

/** What a command asks, as text (the payload is shown as text, never as markup). */
function describePayload(type: string, payload: Record<string, unknown>): string {
  if (type === 'setReportInterval') return `report every ${String(payload.seconds)} s`
  if (type === 'custom') return String(payload.text ?? '')
  return JSON.stringify(payload)
}

/** A device's commands with their states; admins send and cancel. */
export function DeviceCommands({ deviceId, isAdmin }: { deviceId: string; isAdmin: boolean }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const typeId = useId()
  const valueId = useId()
  const [type, setType] = useState<'setReportInterval' | 'custom'>('setReportInterval')
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const commands = useQuery(trpc.commands.list.queryOptions({ deviceId, limit: 20 }))
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.commands.pathKey() })
  const send = useMutation(
    trpc.commands.send.mutationOptions({
      onSuccess: () => setValue(''),
      onError: (caught) => setError(readFormError(caught)),
      onSettled: refresh,
    }),
  )
  const cancel = useMutation(
    trpc.commands.cancel.mutationOptions({
      onError: (caught) => setError(readFormError(caught)),
      onSettled: refresh,
    }),
  )

  function submit(event: React.FormEvent) {
    event.preventDefault()
    setError(null)
    if (type === 'setReportInterval') {
      send.mutate({ deviceId, type, payload: { seconds: Number(value) } })
    } else {
      send.mutate({ deviceId, type, payload: { text: value } })
    }
  }

  return (
    <section className="device-commands" aria-label="Commands">
      <h4>Commands</h4>
      {isAdmin && (
        <form className="inline-form" onSubmit={submit}>
          <div className="field inline-field">
            <label htmlFor={typeId}>Command</label>
            <select
              id={typeId}
              value={type}
              onChange={(event) => setType(event.target.value as typeof type)}
            >
              <option value="setReportInterval">Set report interval</option>
              <option value="custom">Custom text</option>
            </select>
          </div>
          <div className="field inline-field">
            <label htmlFor={valueId}>{type === 'setReportInterval' ? 'Seconds' : 'Text'}</label>
            <input
              id={valueId}
              type={type === 'setReportInterval' ? 'number' : 'text'}
              value={value}
              onChange={(event) => setValue(event.target.value)}
              required
            />
          </div>
          <button type="submit" disabled={send.isPending}>
            Send command
          </button>
        </form>
      )}
      <FormAlert message={error} />
      <button type="button" className="secondary" onClick={() => void commands.refetch()}>
        Refresh commands
      </button>
      <DataTable
        caption="Commands"
        columns={['Queued', 'Command', 'State', 'Answer', isAdmin && 'Actions']}
      >
        {(commands.data?.items ?? []).map((command) => (
          <tr key={command.id}>
            <td>{formatDateTime(command.createdAt)}</td>
            <td>{describePayload(command.type, command.payload)}</td>
            <td data-testid="command-status">{command.status}</td>
            <td>{command.result ?? '–'}</td>
            {isAdmin && (
              <td>
                {command.status === 'queued' && (
                  <ConfirmButton
                    label={`Cancel command ${describePayload(command.type, command.payload)}`}
                    confirmText="Confirm cancel"
                    onConfirm={() => cancel.mutate({ id: command.id })}
                    isPending={cancel.isPending}
                  >
                    Cancel
                  </ConfirmButton>
                )}
              </td>
            )}
          </tr>
        ))}
      </DataTable>
      {commands.data?.items.length === 0 && <p className="muted">No commands yet.</p>}
    </section>
  )
}
