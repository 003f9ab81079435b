import { ZUpdateSsoInput } from '@fms/api/schemas'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId } from 'react'
import { ConfirmButton } from '../components/confirm-button'
import { FormAlert } from '../components/form-alert'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import { readFormError } from '../lib/form-errors'
import { useZodForm } from '../lib/use-zod-form'
import { type RouterOutputs, useTRPC } from '../trpc'

type TSsoSettings = RouterOutputs['sso']['get']

const ROLE_OPTIONS = [
  { value: 'user', label: 'User' },
  { value: 'admin', label: 'Admin' },
]

/** The form's strings as the update's input: domains split on commas and spaces, blank secret kept. */
function readSsoForm(values: Record<string, string>) {
  return {
    issuer: values.issuer?.trim() ?? '',
    clientId: values.clientId ?? '',
    clientSecret: values.clientSecret ? values.clientSecret : undefined,
    domains: (values.domains ?? '').split(/[\s,]+/).filter(Boolean),
    defaultRole: values.defaultRole,
    isEnabled: values.isEnabled === 'on',
  }
}

/** Admins: the organization's OpenID Connect single sign-on (issuer, client, domains, role). */
export function SsoSettings() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const settings = useQuery(trpc.sso.get.queryOptions())
  const setData = (data: TSsoSettings) => queryClient.setQueryData(trpc.sso.get.queryKey(), data)
  const update = useMutation(trpc.sso.update.mutationOptions({ onSuccess: setData }))
  const remove = useMutation(
    trpc.sso.remove.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sso.get.queryKey() }),
    }),
  )
  const form = useZodForm(ZUpdateSsoInput, (input) => update.mutateAsync(input), {
    read: readSsoForm,
  })
  const me = useQuery(trpc.auth.me.queryOptions())
  const orgId = me.data?.orgId
  const enabledId = useId()
  const data = settings.data
  if (!data) return <p aria-busy="true">Loading…</p>
  const current = data.isConfigured ? data : null
  const redirectUri = data.redirectUri ?? `${window.location.origin}/api/sso/callback`
  const signInLink = `${window.location.origin}/#/login?sso=${orgId}`
  return (
    <section aria-labelledby="sso-heading">
      <h2 id="sso-heading">Single sign-on (OpenID Connect)</h2>
      <p>
        People with an email address of these domains sign in through your identity provider; a
        first sign-in creates their account with the default role. Register this redirect URI at the
        provider, with the scopes <code>openid email profile</code>:
      </p>
      <p>
        <label>
          Redirect URI{' '}
          <input className="mono" readOnly value={redirectUri} aria-label="Redirect URI" />
        </label>
      </p>
      {current?.isEnabled && orgId && (
        <p>
          Sign-in link for your organization: <code>{signInLink}</code>
        </p>
      )}
      <form
        className="card"
        onSubmit={form.onSubmit}
        noValidate
        key={current?.updatedAt.toString()}
      >
        <FormAlert message={form.formError} />
        <TextField
          name="issuer"
          label="Issuer URL"
          type="url"
          placeholder="https://login.example.com"
          defaultValue={current?.issuer ?? ''}
          required
          errors={form.fieldErrors.issuer}
        />
        <TextField
          name="clientId"
          label="Client ID"
          defaultValue={current?.clientId ?? ''}
          required
          errors={form.fieldErrors.clientId}
        />
        <TextField
          name="clientSecret"
          label={
            current?.hasClientSecret
              ? 'Client secret (stored; leave blank to keep)'
              : 'Client secret'
          }
          type="password"
          autoComplete="off"
          errors={form.fieldErrors.clientSecret}
        />
        {current?.hasClientSecret && (
          <p>
            <small>A new issuer or client ID needs its client secret entered again.</small>
          </p>
        )}
        <TextField
          name="domains"
          label="Email domains (comma separated)"
          placeholder="example.com"
          defaultValue={current?.domains.join(', ') ?? ''}
          required
          errors={form.fieldErrors.domains}
        />
        <p>
          <small>
            A domain is yours to add when your own email address is at exactly that domain and
            verified (never a public provider such as gmail.com), or when the server's operator
            trusts it. Domains already saved stay.
          </small>
        </p>
        <SelectField
          name="defaultRole"
          label="Role of new users"
          options={ROLE_OPTIONS}
          defaultValue={current?.defaultRole ?? 'user'}
          errors={form.fieldErrors.defaultRole}
        />
        <div className="checkbox-field">
          <input
            id={enabledId}
            name="isEnabled"
            type="checkbox"
            defaultChecked={current?.isEnabled ?? true}
          />
          <label htmlFor={enabledId}>Enabled</label>
        </div>
        <button type="submit" disabled={form.isSubmitting}>
          {form.isSubmitting ? 'Checking the provider…' : 'Save single sign-on'}
        </button>
        {update.isSuccess && !form.isSubmitting && <p role="status">Saved.</p>}
      </form>
      {current && (
        <p>
          <ConfirmButton
            label="Remove single sign-on"
            confirmText="Confirm remove"
            isPending={remove.isPending}
            onConfirm={() => remove.mutate()}
          >
            Remove single sign-on
          </ConfirmButton>
        </p>
      )}
      <FormAlert message={remove.isError ? readFormError(remove.error) : null} />
    </section>
  )
}
