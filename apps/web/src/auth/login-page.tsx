import { ZLoginInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { TextField } from '../components/text-field'
import { hrefTo } from '../lib/hash-route'
import { useTRPC } from '../trpc'
import { AuthForm, useAuthForm } from './auth-form'
import { useIsEmailEnabled } from './link-token'

export function LoginPage() {
  const trpc = useTRPC()
  const login = useMutation(trpc.auth.login.mutationOptions())
  const form = useAuthForm(ZLoginInput, login.mutateAsync)
  // Only a server that sends email can reset a password by link.
  const isEmailEnabled = useIsEmailEnabled()

  return (
    <AuthForm
      heading="Sign in to FMS"
      form={form}
      submitLabel="Sign in"
      busyLabel="Signing in…"
      footer={
        <>
          New to FMS? <a href={hrefTo('register')}>Create an account</a>
        </>
      }
    >
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
      {isEmailEnabled && (
        <p>
          <a href={hrefTo('forgotPassword')}>Forgot password?</a>
        </p>
      )}
    </AuthForm>
  )
}
