import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { readFormError } from '../lib/form-errors'
import { hrefTo, navigate } from '../lib/hash-route'
import { useTRPC } from '../trpc'
import { useLinkToken } from './link-token'
import { finishSignIn, SecondFactorForm } from './login-page'
import { useSession } from './session'

/**
 * Opened from the emailed link: confirms the address when the person asks to (a button, not on
 * opening: a link scanner that runs scripts must not use the link up, and a link someone else
 * sent must not sign anybody in silently), then signs in and opens the live map.
 */
export function VerifyEmailPage() {
  const trpc = useTRPC()
  const token = useLinkToken()
  const isSignedIn = useSession() !== null
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions())
  // With two-factor sign-in on, the link confirms the address; the code still signs in.
  const [challenge, setChallenge] = useState<string | null>(null)

  function confirm() {
    if (token === null || verify.isPending) return
    verify.mutateAsync({ token }).then(
      (answer) => {
        if (answer.status === 'second_factor') setChallenge(answer.challenge)
        else finishSignIn(answer)
      },
      () => {},
    )
  }

  if (challenge !== null) {
    return <SecondFactorForm challenge={challenge} onRestart={() => navigate({ name: 'login' })} />
  }

  if (token !== null && !verify.isError) {
    return (
      <main className="auth-page">
        <h1>Confirm your email address</h1>
        <p>This confirms the address the link was sent to and signs you in to its account.</p>
        {isSignedIn && (
          <p className="card">
            You are signed in already. If the link was sent to another address than yours,
            confirming signs you in to that account instead.
          </p>
        )}
        <button type="button" onClick={confirm} disabled={verify.isPending}>
          {verify.isPending ? 'Confirming…' : 'Confirm my address'}
        </button>
      </main>
    )
  }
  const message = verify.isError
    ? readFormError(verify.error)
    : 'This link is incomplete: open the link from the email again.'
  return (
    <main className="auth-page">
      <h1>Your address is not confirmed yet</h1>
      <p className="card" role="alert">
        {message}
      </p>
      <p>
        {isSignedIn ? (
          <>
            Send yourself a new link from <a href={hrefTo('account')}>your account</a>.
          </>
        ) : (
          <>
            <a href={hrefTo('login')}>Sign in</a> to get a new link by email.
          </>
        )}
      </p>
    </main>
  )
}
