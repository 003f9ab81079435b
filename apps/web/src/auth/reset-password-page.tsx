import { ZPassword } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { z } from 'zod'
import { TextField } from '../components/text-field'
import { hrefTo } from '../lib/hash-route'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'
import { AuthForm } from './auth-form'
import { useLinkToken } from './link-token'

const ZNewPasswordForm = z
  .object({ password: ZPassword, confirm: z.string() })
  .refine((value) => value.password === value.confirm, {
    error: 'The passwords differ',
    path: ['confirm'],
  })

export function ResetPasswordPage() {
  const trpc = useTRPC()
  const token = useLinkToken()
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions())
  const [isDone, setIsDone] = useState(false)
  const form = useZodForm(ZNewPasswordForm, async (input) => {
    await reset.mutateAsync({ token: token ?? '', password: input.password })
    setIsDone(true)
  })

  if (isDone || token === null) {
    return (
      <main className="auth-page">
        <h1>{isDone ? 'Your password is changed' : 'This link is incomplete'}</h1>
        <p className="card" role={isDone ? 'status' : 'alert'}>
          {isDone
            ? 'Sign in with your new password. Every other session of your account was signed out.'
            : 'Open the link from the email again, or ask for a new one.'}
        </p>
        <p>
          {isDone ? (
            <a href={hrefTo('login')}>Sign in</a>
          ) : (
            <a href={hrefTo('forgotPassword')}>Ask for a new link</a>
          )}
        </p>
      </main>
    )
  }
  return (
    <AuthForm
      heading="Choose a new password"
      form={form}
      submitLabel="Set password"
      busyLabel="Setting password…"
      footer={
        <>
          Link expired? <a href={hrefTo('forgotPassword')}>Ask for a new one</a>
        </>
      }
    >
      <TextField
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        errors={form.fieldErrors.password}
      />
      <TextField
        name="confirm"
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        errors={form.fieldErrors.confirm}
      />
    </AuthForm>
  )
}
