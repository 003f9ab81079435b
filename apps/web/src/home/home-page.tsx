import { useMutation, useQuery } from '@tanstack/react-query'
import { session } from '../auth/session'
import { navigate } from '../lib/hash-route'
import { useDocumentTitle } from '../lib/use-document-title'
import { type RouterOutputs, useTRPC } from '../trpc'

export function HomePage() {
  useDocumentTitle('Home')
  const trpc = useTRPC()
  const me = useQuery(trpc.auth.me.queryOptions())
  const logout = useMutation(trpc.auth.logout.mutationOptions())

  function signOut() {
    const signOutLocally = () => {
      session.clear()
      navigate('/login')
    }
    const refreshToken = session.get()?.refreshToken
    if (!refreshToken) return signOutLocally()
    // Forget the tokens here even if the server can't be told: signing out must always work.
    logout.mutate({ refreshToken }, { onSettled: signOutLocally })
  }

  return (
    <>
      <header className="top-bar">
        <span className="brand">FMS</span>
        <button type="button" onClick={signOut} disabled={logout.isPending}>
          Sign out
        </button>
      </header>
      <main className="home-page">
        {me.data ? (
          <Profile me={me.data} />
        ) : me.isError ? (
          <p role="alert">Could not load your account: {me.error.message}</p>
        ) : (
          <p aria-busy="true">Loading your account…</p>
        )}
      </main>
    </>
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
