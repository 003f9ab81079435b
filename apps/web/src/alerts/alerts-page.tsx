import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState } from 'react'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SelectField } from '../components/select-field'
import { StatusNotice } from '../components/status-notice'
import { toDisplayMessage } from '../lib/display-settings'
import { downloadCsv } from '../lib/download'
import { formatDateTime, formatReading } from '../lib/format'
import { hrefTo, useHashQueryParam, vehicleHref } from '../lib/hash-route'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import { useVehicleOptions } from '../lib/use-vehicle-options'
import { useTRPC, useTRPCClient } from '../trpc'
import { ALERT_KIND_OPTIONS, formatAlertKind, type TAlertKind } from './alert-kinds'

const CSV_DAYS = 30
const DAY_MS = 86_400_000
const PAGE_SIZE = 50
/** Pages loaded looking for the alert a link names before saying it is not among them. */
const TARGET_SEARCH_PAGES = 5

/** The organization's alerts, newest first, refreshed live (see useLiveAlerts in the shell). */
export function AlertsPage() {
  const trpc = useTRPC()
  const client = useTRPCClient()
  const queryClient = useQueryClient()
  const unacknowledgedId = useId()
  const [kind, setKind] = useState<TAlertKind | ''>('')
  const [vehicleId, setVehicleId] = useState('')
  const [isUnacknowledgedOnly, setIsUnacknowledgedOnly] = useState(false)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const [isExporting, setIsExporting] = useState(false)
  const vehicles = useVehicleOptions()
  const filters = {
    kind: kind || undefined,
    vehicleId: vehicleId || undefined,
  }
  const list = useInfiniteQuery(
    trpc.alerts.list.infiniteQueryOptions(
      { ...filters, isAcknowledged: isUnacknowledgedOnly ? false : undefined, limit: PAGE_SIZE },
      { getNextPageParam: readNextCursor },
    ),
  )
  const acknowledge = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSuccess: () => setNotice('Alert acknowledged.'),
      onError: showActionError,
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() }),
    }),
  )
  const alerts = flattenPages(list.data)
  const target = useTargetAlert(list, alerts)

  async function exportCsv() {
    setActionError(null)
    setIsExporting(true)
    try {
      const to = new Date(Date.now() + 60_000)
      const from = new Date(to.getTime() - CSV_DAYS * DAY_MS)
      downloadCsv(await client.alerts.csv.query({ ...filters, from, to }))
    } catch (error) {
      showActionError(error)
    } finally {
      setIsExporting(false)
    }
  }

  return (
    <main className="page">
      <h1>Alerts</h1>
      <StatusNotice message={notice} />
      <div className="filter-bar">
        <SelectField
          name="kind"
          label="Kind"
          value={kind}
          onChange={(event) => setKind(event.target.value as TAlertKind | '')}
          options={[{ value: '', label: 'All kinds' }, ...ALERT_KIND_OPTIONS]}
        />
        <SelectField
          name="vehicleId"
          label="Vehicle"
          value={vehicleId}
          onChange={(event) => setVehicleId(event.target.value)}
          options={[{ value: '', label: 'All vehicles' }, ...vehicles.options]}
        />
        <div className="checkbox-field">
          <input
            id={unacknowledgedId}
            type="checkbox"
            checked={isUnacknowledgedOnly}
            onChange={(event) => setIsUnacknowledgedOnly(event.target.checked)}
          />
          <label htmlFor={unacknowledgedId}>Unacknowledged only</label>
        </div>
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
      {target.isMissing && (
        <p className="form-notice" data-testid="target-alert-missing">
          The alert you followed is not among the {alerts.length} latest alerts shown here
          {kind || vehicleId || isUnacknowledgedOnly ? ' with these filters' : ''}: it may be older,
          or it was withdrawn. <a href={hrefTo('alerts')}>Show all alerts</a>
        </p>
      )}
      <DataTable
        caption="Alerts"
        columns={['Time', 'Vehicle', 'Kind', 'Message', 'Value', 'Acknowledged']}
      >
        {alerts.map((alert) => {
          const code = vehicles.codes.get(alert.vehicleId) ?? 'Unknown vehicle'
          const isTarget = alert.id === target.id
          return (
            <tr
              key={alert.id}
              ref={isTarget ? target.rowRef : undefined}
              className={isTarget ? 'is-target' : undefined}
              aria-current={isTarget ? 'true' : undefined}
            >
              <th scope="row">{formatDateTime(alert.time)}</th>
              <td>
                <a href={vehicleHref(alert.vehicleId)}>{code}</a>
              </td>
              <td>{formatAlertKind(alert.kind)}</td>
              <td>{toDisplayMessage(alert.message)}</td>
              <td>{formatReading(alert.value, '', 1)}</td>
              <td>
                {alert.acknowledgedAt ? (
                  formatDateTime(alert.acknowledgedAt)
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Acknowledge ${formatAlertKind(alert.kind)} alert of ${code}`}
                    disabled={acknowledge.isPending}
                    onClick={() => {
                      setNotice(null)
                      setActionError(null)
                      acknowledge.mutate({ id: alert.id })
                    }}
                  >
                    Acknowledge
                  </button>
                )}
              </td>
            </tr>
          )
        })}
      </DataTable>
      <ListFooter query={list} count={alerts.length} what="alerts" emptyText="No alerts." />
    </main>
  )
}

interface TPagedAlerts {
  isSuccess: boolean
  hasNextPage: boolean
  isFetchingNextPage: boolean
  fetchNextPage: () => unknown
  data?: { pages: unknown[] } | undefined
}

/**
 * The alert a link names (`#/alerts?alert=<id>`, from a notification or an email): its row is
 * scrolled into view once; when it is not loaded, a few more pages are, then `isMissing` says so.
 */
function useTargetAlert(list: TPagedAlerts, alerts: readonly { id: string }[]) {
  const id = useHashQueryParam('alert')
  const rowRef = useRef<HTMLTableRowElement>(null)
  const scrolledTo = useRef<string | null>(null)
  const isLoaded = id !== null && alerts.some((alert) => alert.id === id)
  const pages = list.data?.pages.length ?? 0
  const canSearchOn = list.hasNextPage && pages < TARGET_SEARCH_PAGES
  const { isSuccess, isFetchingNextPage, fetchNextPage } = list
  useEffect(() => {
    if (id === null) {
      scrolledTo.current = null
      return
    }
    if (isLoaded) {
      if (scrolledTo.current === id) return
      scrolledTo.current = id
      rowRef.current?.scrollIntoView({ block: 'center' })
      return
    }
    if (isSuccess && canSearchOn && !isFetchingNextPage) void fetchNextPage()
  }, [id, isLoaded, isSuccess, canSearchOn, isFetchingNextPage, fetchNextPage])
  return {
    id,
    rowRef,
    isMissing: id !== null && isSuccess && !isLoaded && !canSearchOn && !isFetchingNextPage,
  }
}
