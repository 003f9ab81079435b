import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { readFormError } from '../lib/form-errors'
import { hrefTo, navigate } from '../lib/hash-route'
import { useTRPC } from '../trpc'
import { useLinkToken } from './link-token'
import { session, useSession } from './session'

/** Opened from the emailed link: confirms the address, signs in and opens the live map. */
export function VerifyEmailPage() {
  const trpc = useTRPC()
  const token = useLinkToken()
  const isSignedIn = useSession() !== null
  const verify = useMutation(trpc.auth.verifyEmail.mutationOptions())
  // The link works once: one call per page, even when an effect runs twice.
  const started = useRef(false)

  useEffect(() => {
    if (token === null || started.current) return
    started.current = true
    verify.mutateAsync({ token }).then(
      (signedIn) => {
        session.set(signedIn)
        navigate({ name: 'map' })
      },
      () => {},
    )
  }, [token, verify.mutateAsync])

  if (token !== null && !verify.isError) {
    return (
      <main className="auth-page">
        <h1>Confirming your address…</h1>
        <p aria-busy="true">One moment.</p>
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
