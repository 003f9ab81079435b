import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { readFormError } from '../lib/form-errors'
import { useTRPC } from '../trpc'
import { DisplaySettingsForm } from './display-settings-form'
import { SsoSettings } from './sso-settings'

/** Admins: the organization's units, time zone and week start (each user may override them). */
export function SettingsPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const settings = useQuery(trpc.settings.get.queryOptions())
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.settings.get.queryKey(), data),
    }),
  )
  return (
    <main className="page">
      <h1>Settings</h1>
      <p>
        How the organization's distances, speeds, volumes, temperatures and times are shown, in the
        app, in CSV exports and in emails. Each user may choose their own on the account page.
      </p>
      {settings.data ? (
        <DisplaySettingsForm
          values={settings.data.organization}
          isPending={update.isPending}
          error={update.isError ? readFormError(update.error) : null}
          saved={update.isSuccess}
          onSave={(values) => update.mutate(values as never)}
        />
      ) : (
        <p aria-busy="true">Loading…</p>
      )}
      <SsoSettings />
    </main>
  )
}

/** The signed-in user's own settings, on the account page. */
export function MySettings() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const settings = useQuery(trpc.settings.get.queryOptions())
  const update = useMutation(
    trpc.settings.updateMine.mutationOptions({
      onSuccess: (data) => queryClient.setQueryData(trpc.settings.get.queryKey(), data),
    }),
  )
  return (
    <section aria-labelledby="my-settings-heading">
      <h2 id="my-settings-heading">Your display settings</h2>
      {settings.data ? (
        <DisplaySettingsForm
          values={settings.data.mine}
          inherited={settings.data.organization}
          isPending={update.isPending}
          error={update.isError ? readFormError(update.error) : null}
          saved={update.isSuccess}
          onSave={(values) => update.mutate(values as never)}
        />
      ) : (
        <p aria-busy="true">Loading…</p>
      )}
    </section>
  )
}
