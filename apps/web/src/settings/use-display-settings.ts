import { useQuery } from '@tanstack/react-query'
import { setDisplaySettings } from '../lib/display-settings'
import { useTRPC } from '../trpc'

/**
 * Loads the reader's display settings and hands them to the formatters; answers a key that
 * changes with them, so the pages below re-render in the new units.
 */
export function useDisplaySettingsKey(): string {
  const trpc = useTRPC()
  const settings = useQuery(trpc.settings.get.queryOptions(undefined, { staleTime: 60_000 }))
  const effective = settings.data?.effective ?? null
  setDisplaySettings(effective)
  return effective ? JSON.stringify(effective) : 'metric'
}
