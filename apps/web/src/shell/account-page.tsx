import type { RouterOutputs } from '../trpc'
import { useMe } from './use-me'

export function AccountPage() {
  const me = useMe()
  return (
    <main className="page">
      {me.data ? (
        <Profile me={me.data} />
      ) : me.isError ? (
        <p role="alert">Could not load your account: {me.error.message}</p>
      ) : (
        <p aria-busy="true">Loading your account…</p>
      )}
    </main>
  )
}

function Profile({ me }: { me: RouterOutputs['auth']['me'] }) {
  return (
    <section aria-labelledby="profile-heading">
      <h1 id="profile-heading">{me.orgName}</h1>
      <p>Signed in as {me.email}</p>
      <dl className="facts">
        <dt>Organization</dt>
        <dd>{me.orgName}</dd>
        <dt>Role</dt>
        <dd>{me.role}</dd>
      </dl>
    </section>
  )
}
