import { ZLoginInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { FormAlert } from '../components/form-alert'
import { TextField } from '../components/text-field'
import { hrefTo, navigate } from '../lib/hash-route'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'
import { session } from './session'

export function LoginPage() {
  const trpc = useTRPC()
  const login = useMutation(trpc.auth.login.mutationOptions())
  const form = useZodForm(ZLoginInput, async (input) => {
    session.set(await login.mutateAsync(input))
    navigate({ name: 'map' })
  })

  return (
    <main className="auth-page">
      <h1>Sign in to FMS</h1>
      <form className="card" onSubmit={form.onSubmit} noValidate>
        <FormAlert message={form.formError} />
        <TextField
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          errors={form.fieldErrors.email}
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          errors={form.fieldErrors.password}
        />
        <button type="submit" disabled={form.isSubmitting}>
          {form.isSubmitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New to FMS? <a href={hrefTo('register')}>Create an account</a>
      </p>
    </main>
  )
}
