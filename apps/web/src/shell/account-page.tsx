import { useMutation } from '@tanstack/react-query'
import { useIsEmailEnabled } from '../auth/link-token'
import { FormAlert } from '../components/form-alert'
import { StatusNotice } from '../components/status-notice'
import { readFormError } from '../lib/form-errors'
import { MySettings } from '../settings/settings-page'
import { type RouterOutputs, useTRPC } from '../trpc'
import { SessionsSection } from './sessions-section'
import { TwoFactorSection } from './two-factor-section'
import { useMe } from './use-me'

export function AccountPage() {
  const me = useMe()
  return (
    <main className="page">
      {me.data ? (
        <>
          <Profile me={me.data} />
          <MySettings />
          <TwoFactorSection />
          <SessionsSection />
        </>
      ) : me.isError ? (
        <p role="alert">Could not load your account: {me.error.message}</p>
      ) : (
        <p aria-busy="true">Loading your account…</p>
      )}
    </main>
  )
}

function Profile({ me }: { me: RouterOutputs['auth']['me'] }) {
  const isEmailEnabled = useIsEmailEnabled()
  return (
    <section aria-labelledby="profile-heading">
      <h1 id="profile-heading">{me.orgName}</h1>
      <p>Signed in as {me.email}</p>
      <dl className="facts">
        <dt>Organization</dt>
        <dd>{me.orgName}</dd>
        <dt>Role</dt>
        <dd>{me.role}</dd>
        {isEmailEnabled && (
          <>
            <dt>Email address</dt>
            <dd>{me.emailVerified ? 'Verified' : 'Not verified'}</dd>
          </>
        )}
      </dl>
      {isEmailEnabled && !me.emailVerified && <SendVerification />}
    </section>
  )
}

/** Unverified addresses get no alert emails; this sends a new confirmation link. */
function SendVerification() {
  const trpc = useTRPC()
  const send = useMutation(trpc.auth.requestVerification.mutationOptions())
  return (
    <div>
      <p>Confirm your address to receive alert and report emails.</p>
      <FormAlert message={send.isError ? readFormError(send.error) : null} />
      <button type="button" disabled={send.isPending} onClick={() => send.mutate()}>
        {send.isPending ? 'Sending…' : 'Send verification link'}
      </button>
      <StatusNotice
        message={send.isSuccess ? 'We sent you a link: open it to confirm the address.' : null}
      />
    </div>
  )
}
