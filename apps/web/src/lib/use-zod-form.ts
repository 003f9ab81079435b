import { type FormEvent, useState } from 'react'
import { z } from 'zod'
import { readFormError, readServerFieldErrors, type TFieldErrors } from './form-errors'

/**
 * Validates an uncontrolled form with a shared zod schema, then submits the parsed input.
 * Field errors (client or server) are keyed by input name; a failed submit gives `formError`.
 */
export function useZodForm<TInput>(
  schema: z.ZodType<TInput>,
  submit: (input: TInput) => Promise<unknown>,
) {
  const [fieldErrors, setFieldErrors] = useState<TFieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [isSubmitting, setIsSubmitting] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const parsed = schema.safeParse(Object.fromEntries(new FormData(form)))
    setFormError(null)
    if (!parsed.success) {
      const errors: TFieldErrors = z.flattenError(parsed.error).fieldErrors
      setFieldErrors(errors)
      focusFirstInvalid(form, errors)
      return
    }
    setFieldErrors({})
    setIsSubmitting(true)
    try {
      await submit(parsed.data)
    } catch (error) {
      setFieldErrors(readServerFieldErrors(error))
      setFormError(readFormError(error))
    } finally {
      setIsSubmitting(false)
    }
  }

  return { onSubmit, fieldErrors, formError, isSubmitting }
}

function focusFirstInvalid(form: HTMLFormElement, errors: TFieldErrors) {
  for (const element of form.elements) {
    if (element instanceof HTMLInputElement && errors[element.name]?.length) {
      element.focus()
      return
    }
  }
}
