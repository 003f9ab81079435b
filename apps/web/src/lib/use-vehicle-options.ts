import { useQuery } from '@tanstack/react-query'
import { useTRPC } from '../trpc'

/** The first 100 vehicles by code: their codes by id (for tables) and select options. */
export function useVehicleOptions() {
  const trpc = useTRPC()
  const vehicles = useQuery(
    trpc.vehicles.list.queryOptions({ sort: 'code', order: 'asc', limit: 100 }),
  )
  const items = vehicles.data?.items ?? []
  return {
    codes: new Map(items.map((vehicle) => [vehicle.id, vehicle.code])),
    options: items.map((vehicle) => ({ value: vehicle.id, label: vehicle.code })),
  }
}
