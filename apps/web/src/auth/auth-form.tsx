import type { FormEvent, ReactNode } from 'react'
import { FormAlert } from '../components/form-alert'

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
  children: ReactNode
}

/** The signed-out page frame around the sign-in and sign-up forms. */
export function AuthForm({
  heading,
  form,
  submitLabel,
  busyLabel,
  footer,
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
      <p>{footer}</p>
    </main>
  )
}
