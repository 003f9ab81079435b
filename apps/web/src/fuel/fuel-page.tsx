import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { formatDateTime, formatReading } from '../lib/format'
import { usePageMessages } from '../lib/use-page-messages'
import { useIsAdmin } from '../shell/use-me'
import { useTRPC } from '../trpc'
import { FuelChart } from './fuel-chart'
import { describePurchaseCheck } from './fuel-check'
import { PurchaseForm } from './purchase-form'
import './fuel.css'

/**
 * Fuel: receipts of the last 31 days, each checked against the refuels the tank level shows
 * (a receipt without a matching refuel is flagged), adding receipts, and litres used per day.
 */
export function FuelPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const isAdmin = useIsAdmin()
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useQuery(trpc.fuel.list.queryOptions({}))
  const remove = useMutation(
    trpc.fuel.remove.mutationOptions({
      onSuccess: () => setNotice('Fuel purchase removed.'),
      onError: showActionError,
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.fuel.pathKey() }),
    }),
  )
  const purchases = list.data?.items ?? []

  return (
    <main className="page">
      <h1>Fuel</h1>
      <StatusNotice message={notice} />
      <FuelChart />
      <PurchaseForm onSaved={setNotice} onSubmitting={() => setNotice(null)} />
      <h2>Purchases (last 31 days)</h2>
      <FormAlert message={actionError} />
      <DataTable
        caption="Fuel purchases"
        columns={['Time', 'Vehicle', 'Litres', 'Price', 'Station', 'Check', isAdmin && 'Actions']}
      >
        {purchases.map((purchase) => {
          const name = `${purchase.vehicleCode} ${formatDateTime(purchase.time)}`
          return (
            <tr key={purchase.id} className={purchase.isFlagged ? 'purchase-flagged' : undefined}>
              <td>{formatDateTime(purchase.time)}</td>
              <th scope="row">{purchase.vehicleCode}</th>
              <td>{formatReading(purchase.litres, 'L', 1)}</td>
              <td>{formatReading(purchase.price, '', 2)}</td>
              <td>{purchase.station ?? '–'}</td>
              <td>
                {purchase.isFlagged && <span className="badge purchase-flag">Flagged</span>}{' '}
                {describePurchaseCheck(purchase)}
              </td>
              {isAdmin && (
                <td className="row-actions">
                  <ConfirmAction
                    verb="Remove"
                    what="fuel purchase"
                    name={name}
                    onConfirm={() => {
                      setActionError(null)
                      remove.mutate({ id: purchase.id })
                    }}
                  />
                </td>
              )}
            </tr>
          )
        })}
      </DataTable>
      {list.isSuccess && purchases.length === 0 && (
        <p className="muted">No fuel purchases in the last 31 days.</p>
      )}
    </main>
  )
}
