import type { FormEvent, ReactNode } from 'react'
import type { z } from 'zod'
import { FormAlert } from '../components/form-alert'
import { navigate } from '../lib/hash-route'
import { useZodForm } from '../lib/use-zod-form'
import { session } from './session'
import type { TSessionTokens } from './session-store'

/** A sign-in or sign-up form: on success the tokens are kept and the live map opens. */
export function useAuthForm<TInput>(
  schema: z.ZodType<TInput>,
  request: (input: TInput) => Promise<TSessionTokens>,
) {
  return useZodForm(schema, async (input) => {
    session.set(await request(input))
    navigate({ name: 'map' })
  })
}

interface TAuthFormProps {
  heading: string
  form: {
    onSubmit: (event: FormEvent<HTMLFormElement>) => Promise<void>
    formError: string | null
    isSubmitting: boolean
  }
  submitLabel: string
  /** The submit button's text while the request runs, e.g. "Signing in…". */
  busyLabel: string
  /** Under the card: the way to the other auth page. */
  footer: ReactNode
  /** Another way in, under the form (single sign-on on the sign-in page). */
  alternative?: ReactNode
  children: ReactNode
}

/** The signed-out page frame around the sign-in and sign-up forms. */
export function AuthForm({
  heading,
  form,
  submitLabel,
  busyLabel,
  footer,
  alternative,
  children,
}: TAuthFormProps) {
  return (
    <main className="auth-page">
      <h1>{heading}</h1>
      <form className="card" onSubmit={form.onSubmit} noValidate>
        <FormAlert message={form.formError} />
        {children}
        <button type="submit" disabled={form.isSubmitting}>
          {form.isSubmitting ? busyLabel : submitLabel}
        </button>
      </form>
      {alternative}
      <p>{footer}</p>
    </main>
  )
}
