import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import { downloadCsv } from '../lib/download'
import { formatDateTime } from '../lib/format'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { type RouterOutputs, useTRPC, useTRPCClient } from '../trpc'
import { formatChanges } from './format-changes'

const PAGE_SIZE = 50

type TAuditEntry = RouterOutputs['audit']['list']['items'][number]

/** A `datetime-local` value as a Date, or undefined when empty or not a time. */
function parseLocal(value: string): Date | undefined {
  if (!value) return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

function describeActor(entry: TAuditEntry): string {
  if (entry.actorType === 'anonymous') {
    return entry.actorEmail ? `${entry.actorEmail} (not signed in)` : 'Not signed in'
  }
  return entry.actorEmail ?? entry.actorId ?? 'Unknown'
}

/** Who changed what in the organization: admins only, newest first, filters and CSV export. */
export function AuditPage() {
  const trpc = useTRPC()
  const client = useTRPCClient()
  const [actorId, setActorId] = useState('')
  const [action, setAction] = useState('')
  const [objectId, setObjectId] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [isExporting, setIsExporting] = useState(false)
  const { actionError, setActionError, showActionError } = usePageMessages()
  const users = useQuery(trpc.users.list.queryOptions({ limit: 100, sort: 'email', order: 'asc' }))
  const filters = {
    actorId: actorId || undefined,
    action: action.trim() || undefined,
    objectId: objectId.trim() || undefined,
    from: parseLocal(from),
    to: parseLocal(to),
  }
  const list = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...filters, limit: PAGE_SIZE },
      { getNextPageParam: readNextCursor },
    ),
  )
  const entries = flattenPages(list.data)

  async function exportCsv() {
    setActionError(null)
    setIsExporting(true)
    try {
      const result = await client.audit.csv.query(filters)
      downloadCsv(result)
    } catch (error) {
      showActionError(error)
    } finally {
      setIsExporting(false)
    }
  }

  return (
    <main className="page">
      <h1>Audit log</h1>
      <div className="filter-bar">
        <SelectField
          name="actorId"
          label="Who"
          value={actorId}
          onChange={(event) => setActorId(event.target.value)}
          options={[
            { value: '', label: 'Anyone' },
            ...(users.data?.items ?? []).map((user) => ({ value: user.id, label: user.email })),
          ]}
        />
        <TextField
          name="action"
          label="Action"
          placeholder="vehicles.update"
          value={action}
          onChange={(event) => setAction(event.target.value)}
        />
        <TextField
          name="objectId"
          label="Object id"
          value={objectId}
          onChange={(event) => setObjectId(event.target.value)}
        />
        <TextField
          name="from"
          label="From"
          type="datetime-local"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
        />
        <TextField
          name="to"
          label="To"
          type="datetime-local"
          value={to}
          onChange={(event) => setTo(event.target.value)}
        />
        <button
          type="button"
          className="secondary"
          disabled={isExporting}
          onClick={() => void exportCsv()}
        >
          Export CSV
        </button>
      </div>
      <FormAlert message={actionError} />
      <DataTable
        caption="Audit log"
        columns={['Time', 'Who', 'Action', 'Outcome', 'Object', 'Address', 'Changes']}
      >
        {entries.map((entry) => (
          <tr key={entry.id}>
            <th scope="row">{formatDateTime(entry.at)}</th>
            <td>{describeActor(entry)}</td>
            <td>
              <code>{entry.action}</code>
            </td>
            <td>{entry.outcome === 'ok' ? 'Done' : `Refused (${entry.errorCode ?? 'error'})`}</td>
            <td>
              {entry.objectType}
              {entry.objectId ? ` ${entry.objectId}` : ''}
            </td>
            <td title={entry.userAgent ?? undefined}>{entry.clientIp ?? ''}</td>
            <td>
              <ul className="audit-changes">
                {formatChanges(entry.changes).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </DataTable>
      <ListFooter query={list} count={entries.length} what="entries" emptyText="No entries." />
    </main>
  )
}
