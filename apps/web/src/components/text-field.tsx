import { type InputHTMLAttributes, useId } from 'react'

type TTextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  name: string
  label: string
  errors?: string[] | undefined
}

/** A labelled input whose errors are announced with it (`aria-describedby`). */
export function TextField({ label, errors, ...inputProps }: TTextFieldProps) {
  const id = useId()
  const errorId = `${id}-error`
  const hasErrors = errors !== undefined && errors.length > 0
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={hasErrors || undefined}
        aria-describedby={hasErrors ? errorId : undefined}
        {...inputProps}
      />
      {hasErrors && (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  )
}
