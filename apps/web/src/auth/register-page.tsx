import { ZRegisterInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { TextField } from '../components/text-field'
import { hrefTo } from '../lib/hash-route'
import { useTRPC } from '../trpc'
import { AuthForm, useAuthForm } from './auth-form'

export function RegisterPage() {
  const trpc = useTRPC()
  const register = useMutation(trpc.auth.register.mutationOptions())
  const form = useAuthForm(ZRegisterInput, register.mutateAsync)

  return (
    <AuthForm
      heading="Create your organization"
      form={form}
      submitLabel="Create account"
      busyLabel="Creating account…"
      footer={
        <>
          Already have an account? <a href={hrefTo('login')}>Sign in</a>
        </>
      }
    >
      <TextField
        name="orgName"
        label="Organization name"
        autoComplete="organization"
        required
        errors={form.fieldErrors.orgName}
      />
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
        autoComplete="new-password"
        required
        errors={form.fieldErrors.password}
      />
    </AuthForm>
  )
}
