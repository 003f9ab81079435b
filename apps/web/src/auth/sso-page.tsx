import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { readFormError } from '../lib/form-errors'
import { hrefTo } from '../lib/hash-route'
import { useTRPC } from '../trpc'
import { useOnceHashParam } from './link-token'
import { finishSignIn } from './login-page'

const BROWSER_KEY_ITEM = 'fms.ssoBrowser'

/**
 * This tab's single sign-on key: 32 random bytes (base64url) in sessionStorage, made on first use.
 * The sign-in starts with it and `#/sso` must present it again, so a callback or code from a sign-in
 * another browser started signs nobody in here. `crypto.getRandomValues`, not `crypto.subtle`,
 * which a plain-http LAN address lacks.
 */
export function ssoBrowserKey(): string {
  const stored = sessionStorage.getItem(BROWSER_KEY_ITEM)
  if (stored) return stored
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  const key = btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
  sessionStorage.setItem(BROWSER_KEY_ITEM, key)
  return key
}

/** Takes this tab's key for an exchange; the next sign-in gets a fresh one. */
function takeSsoBrowserKey(): string | null {
  const key = sessionStorage.getItem(BROWSER_KEY_ITEM)
  sessionStorage.removeItem(BROWSER_KEY_ITEM)
  return key
}

/**
 * Where single sign-on comes back (`#/sso?code=…`): trades the one-time code for a session at
 * once (the code is ours, single-use and lives a minute) and opens the live map.
 */
export function SsoPage() {
  const trpc = useTRPC()
  const code = useOnceHashParam('code')
  const exchange = useMutation(trpc.auth.ssoExchange.mutationOptions())
  const hasStarted = useRef(false)
  const [hasNoKey, setHasNoKey] = useState(false)

  useEffect(() => {
    if (code === null || hasStarted.current) return
    hasStarted.current = true
    const browser = takeSsoBrowserKey()
    // No key: this tab did not start the sign-in (a link from elsewhere). Nothing to trade.
    if (browser === null) return setHasNoKey(true)
    exchange.mutateAsync({ code, browser }).then(finishSignIn, () => {})
  }, [code, exchange])

  if (code !== null && !exchange.isError && !hasNoKey) {
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
        {exchange.isError
          ? readFormError(exchange.error)
          : hasNoKey
            ? 'This sign-in was not started in this browser tab. Start it again from the sign-in page.'
            : 'This link is incomplete.'}
      </p>
      <p>
        <a href={hrefTo('login')}>Back to sign in</a>
      </p>
    </main>
  )
}
