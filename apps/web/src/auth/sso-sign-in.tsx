import { ZSsoOptionsInput } from '@fms/api/schemas'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { FormAlert } from '../components/form-alert'
import { TextField } from '../components/text-field'
import { readHashQuery } from '../lib/hash-route'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'
import { describeSsoError } from './sso-errors'
import { ssoBrowserKey } from './sso-page'

const SSO_START_PATH = '/api/sso/start'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Single sign-on on the sign-in page: with an organization's own link (`#/login?sso=<org id>`)
 * a button straight to its provider; otherwise a button that asks for the email and goes on only
 * when its domain has single sign-on. A failed sign-on comes back with `sso_error`, shown here.
 */
export function SsoSignIn() {
  const [query] = useState(() => readHashQuery())
  const orgId = query.get('sso')
  const error = describeSsoError(query.get('sso_error'))
  const [isAsking, setIsAsking] = useState(false)
  const hasOrgLink = orgId !== null && UUID.test(orgId)
  return (
    <section className="card sso-sign-in" aria-label="Single sign-on">
      <FormAlert message={error} />
      {hasOrgLink ? (
        <a
          className="button-link"
          href={`${SSO_START_PATH}?org=${encodeURIComponent(orgId)}&browser=${ssoBrowserKey()}`}
        >
          Sign in with single sign-on
        </a>
      ) : isAsking ? (
        <SsoEmailForm />
      ) : (
        <button type="button" className="secondary" onClick={() => setIsAsking(true)}>
          Sign in with single sign-on
        </button>
      )}
    </section>
  )
}

function SsoEmailForm() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [notice, setNotice] = useState<string | null>(null)
  const form = useZodForm(ZSsoOptionsInput, async ({ email }) => {
    setNotice(null)
    const options = await queryClient.fetchQuery({
      ...trpc.auth.ssoOptions.queryOptions({ email }),
      staleTime: 0,
    })
    if (options.available) {
      window.location.assign(
        `${SSO_START_PATH}?email=${encodeURIComponent(email)}&browser=${ssoBrowserKey()}`,
      )
    } else {
      setNotice('Single sign-on is not set up for this email address. Sign in with your password.')
    }
  })
  return (
    <form onSubmit={form.onSubmit} noValidate>
      <FormAlert message={form.formError ?? notice} />
      <TextField
        name="email"
        label="Work email"
        type="email"
        autoComplete="email"
        required
        errors={form.fieldErrors.email}
      />
      <button type="submit" disabled={form.isSubmitting}>
        {form.isSubmitting ? 'Checking…' : 'Continue with single sign-on'}
      </button>
    </form>
  )
}
