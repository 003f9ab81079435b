import { useQuery } from '@tanstack/react-query'
import { useTRPC } from '../trpc'

/**
 * The organization's groups by name (a limited user's own), the first 100: select and
 * checkbox options, and each group's vehicle ids.
 */
export function useGroupOptions() {
  const trpc = useTRPC()
  const groups = useQuery(trpc.groups.list.queryOptions({ sort: 'name', order: 'asc', limit: 100 }))
  const items = groups.data?.items ?? []
  return {
    isLoaded: groups.data !== undefined,
    items,
    names: new Map(items.map((group) => [group.id, group.name])),
    options: items.map((group) => ({ value: group.id, label: group.name })),
  }
}
