import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { session } from '../auth/session'
import { ConfirmAction, ConfirmButton } from '../components/confirm-button'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { formatDateTime } from '../lib/format'
import { navigate } from '../lib/hash-route'
import { useTRPC } from '../trpc'

/**
 * The devices signed in to this account (refresh-token families): device, address, last use,
 * "This device", and Revoke. Revoking this device's session signs out here. Every string shown
 * (the User-Agent, the address) comes from a client: React renders it as text, never as HTML.
 */
export function SessionsSection() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const sessions = useQuery(trpc.auth.sessions.queryOptions())
  const [notice, setNotice] = useState<string | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() })
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions())
  const revokeOthers = useMutation(trpc.auth.revokeOtherSessions.mutationOptions())
  const error = revoke.error ?? revokeOthers.error

  function revokeOne(id: string) {
    setNotice(null)
    revoke.mutate(
      { id },
      {
        onSuccess: async (answer) => {
          if (answer.isCurrent) {
            session.clear()
            navigate({ name: 'login' })
            return
          }
          await refresh()
          setNotice('Session revoked: that device is signed out.')
        },
      },
    )
  }

  const others = sessions.data?.filter((entry) => !entry.isCurrent) ?? []
  return (
    <section aria-labelledby="sessions-heading" className="card">
      <h2 id="sessions-heading">Sessions</h2>
      <p>The devices signed in to your account. Revoke one to sign it out at once.</p>
      <StatusNotice message={notice} />
      <FormAlert message={error ? error.message : null} />
      {sessions.isError ? (
        <p role="alert">Could not load your sessions: {sessions.error.message}</p>
      ) : !sessions.data ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <>
          <table className="data-table" data-testid="sessions">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.map((entry) => (
                <tr key={entry.id}>
                  <td title={entry.userAgent ?? undefined}>
                    {entry.device}
                    {entry.isCurrent && (
                      <>
                        {' '}
                        <strong>This device</strong>
                      </>
                    )}
                  </td>
                  <td>{entry.clientIp ?? '—'}</td>
                  <td>{formatDateTime(entry.createdAt)}</td>
                  <td>{formatDateTime(entry.lastUsedAt)}</td>
                  <td>
                    <ConfirmAction
                      verb="Revoke"
                      what="session"
                      name={entry.isCurrent ? 'this device' : entry.device}
                      isPending={revoke.isPending}
                      onConfirm={() => revokeOne(entry.id)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {others.length > 0 && (
            <ConfirmButton
              label="Sign out all other devices"
              confirmText="Confirm signing out all other devices"
              isPending={revokeOthers.isPending}
              onConfirm={() => {
                setNotice(null)
                revokeOthers.mutate(undefined, {
                  onSuccess: async (answer) => {
                    await refresh()
                    setNotice(`${answer.revoked} other sessions revoked.`)
                  },
                })
              }}
            >
              Sign out all other devices
            </ConfirmButton>
          )}
        </>
      )}
    </section>
  )
}
