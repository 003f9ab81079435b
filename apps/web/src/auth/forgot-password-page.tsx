import { ZRequestPasswordResetInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { TextField } from '../components/text-field'
import { hrefTo } from '../lib/hash-route'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'
import { AuthForm } from './auth-form'
import { useIsEmailEnabled } from './link-token'

export function ForgotPasswordPage() {
  const trpc = useTRPC()
  const isEmailEnabled = useIsEmailEnabled()
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions())
  const [sentTo, setSentTo] = useState<string | null>(null)
  const form = useZodForm(ZRequestPasswordResetInput, async (input) => {
    await request.mutateAsync(input)
    setSentTo(input.email)
  })
  const backToSignIn = <a href={hrefTo('login')}>Back to sign in</a>

  if (isEmailEnabled === false) {
    return (
      <main className="auth-page">
        <h1>Forgot your password?</h1>
        <p className="card">
          This server does not send email, so a password can't be reset by link. Ask an admin of
          your organization to set a new password for you.
        </p>
        <p>{backToSignIn}</p>
      </main>
    )
  }
  if (sentTo !== null) {
    return (
      <main className="auth-page">
        <h1>Check your inbox</h1>
        <p className="card" role="status">
          If an account exists for {sentTo}, we sent it a link to choose a new password. The link
          works once, for one hour.
        </p>
        <p>{backToSignIn}</p>
      </main>
    )
  }
  return (
    <AuthForm
      heading="Forgot your password?"
      form={form}
      submitLabel="Send reset link"
      busyLabel="Sending…"
      footer={backToSignIn}
    >
      <p>Enter the address you sign in with; we email you a link to choose a new password.</p>
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        errors={form.fieldErrors.email}
      />
    </AuthForm>
  )
}
