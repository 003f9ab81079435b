import { ZRegisterInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { TextField } from '../components/text-field'
import { hrefTo, navigate } from '../lib/hash-route'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'
import { AuthForm } from './auth-form'
import { session } from './session'

export function RegisterPage() {
  const trpc = useTRPC()
  const register = useMutation(trpc.auth.register.mutationOptions())
  const [sentTo, setSentTo] = useState<string | null>(null)
  const form = useZodForm(ZRegisterInput, async (input) => {
    const answer = await register.mutateAsync(input)
    if (answer.status === 'verification_sent') {
      setSentTo(input.email)
      return
    }
    session.set(answer)
    navigate({ name: 'map' })
  })

  if (sentTo !== null) {
    return (
      <main className="auth-page">
        <h1>Check your inbox</h1>
        <p className="card" role="status">
          We sent a link to {sentTo}. Open it to confirm the address and sign in; it works for 48
          hours. Nothing there? Look in the spam folder, or sign in to get a new link.
        </p>
        <p>
          <a href={hrefTo('login')}>Sign in</a>
        </p>
      </main>
    )
  }

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
