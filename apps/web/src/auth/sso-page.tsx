import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { readFormError } from '../lib/form-errors'
import { hrefTo } from '../lib/hash-route'
import { useTRPC } from '../trpc'
import { useOnceHashParam } from './link-token'
import { finishSignIn } from './login-page'

/**
 * Where single sign-on comes back (`#/sso?code=…`): trades the one-time code for a session at
 * once (the code is ours, single-use and lives a minute) and opens the live map.
 */
export function SsoPage() {
  const trpc = useTRPC()
  const code = useOnceHashParam('code')
  const exchange = useMutation(trpc.auth.ssoExchange.mutationOptions())
  const hasStarted = useRef(false)

  useEffect(() => {
    if (code === null || hasStarted.current) return
    hasStarted.current = true
    exchange.mutateAsync({ code }).then(finishSignIn, () => {})
  }, [code, exchange])

  if (code !== null && !exchange.isError) {
    return (
      <main className="auth-page">
        <h1>Signing you in…</h1>
        <p aria-busy="true">Finishing single sign-on.</p>
      </main>
    )
  }
  return (
    <main className="auth-page">
      <h1>Single sign-on did not finish</h1>
      <p className="card" role="alert">
        {exchange.isError ? readFormError(exchange.error) : 'This link is incomplete.'}
      </p>
      <p>
        <a href={hrefTo('login')}>Back to sign in</a>
      </p>
    </main>
  )
}
