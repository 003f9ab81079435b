import type { FormEvent, ReactNode } from 'react'
import { FormAlert } from './form-alert'

interface TEntityFormProps {
  /** The form's heading, also its accessible name. */
  heading: string
  /** What `useZodForm` gives: the submit handler, the form-level error, whether it is busy. */
  form: {
    onSubmit: (event: FormEvent<HTMLFormElement>) => Promise<void>
    formError: string | null
    isSubmitting: boolean
  }
  /** A submit started: the page clears its last notice. */
  onSubmitting: () => void
  submitLabel: string
  /** Shown beside submit when given (while editing). */
  onCancel?: (() => void) | undefined
  /** Fields in a grid (the default), or one under another. */
  layout?: 'grid' | 'stack'
  children: ReactNode
}

/** The card form that adds or edits one thing: heading, form error, fields, submit (and cancel). */
export function EntityForm(props: TEntityFormProps) {
  const { heading, form, onSubmitting, submitLabel, onCancel, layout = 'grid', children } = props
  return (
    <form
      className="card entity-form"
      aria-label={heading}
      onSubmit={(event) => {
        onSubmitting()
        void form.onSubmit(event)
      }}
      noValidate
    >
      <h2>{heading}</h2>
      <FormAlert message={form.formError} />
      {layout === 'grid' ? <div className="form-grid">{children}</div> : children}
      <div className="form-actions">
        <button type="submit" disabled={form.isSubmitting}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  )
}
