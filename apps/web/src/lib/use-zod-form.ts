import { type FormEvent, useState } from 'react'
import { z } from 'zod'
import { readFormError, readServerFieldErrors, type TFieldErrors } from './form-errors'

export interface TZodFormOptions {
  /** Turns the form's string values into the schema's input (numbers, blanks to null). */
  read?: (values: Record<string, string>) => unknown
}

/**
 * Validates an uncontrolled form with a shared zod schema, then submits the parsed input.
 * Field errors (client or server) are keyed by input name; a failed submit gives `formError`.
 */
export function useZodForm<TInput>(
  schema: z.ZodType<TInput>,
  submit: (input: TInput, form: HTMLFormElement) => Promise<unknown>,
  options: TZodFormOptions = {},
) {
  const [fieldErrors, setFieldErrors] = useState<TFieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [isSubmitting, setIsSubmitting] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const values = Object.fromEntries(new FormData(form)) as Record<string, string>
    const parsed = schema.safeParse(options.read ? options.read(values) : values)
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
      await submit(parsed.data, form)
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
    const isField =
      element instanceof HTMLInputElement ||
      element instanceof HTMLSelectElement ||
      element instanceof HTMLTextAreaElement
    if (isField && errors[element.name]?.length) {
      element.focus()
      return
    }
  }
}
