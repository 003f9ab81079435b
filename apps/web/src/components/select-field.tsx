import { type SelectHTMLAttributes, useId } from 'react'

type TSelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  name: string
  label: string
  options: readonly { value: string; label: string }[]
  errors?: string[] | undefined
}

/** A labelled select whose errors are announced with it, like TextField. */
export function SelectField({ label, options, errors, ...selectProps }: TSelectFieldProps) {
  const id = useId()
  const errorId = `${id}-error`
  const hasErrors = errors !== undefined && errors.length > 0
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={hasErrors || undefined}
        aria-describedby={hasErrors ? errorId : undefined}
        {...selectProps}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hasErrors && (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  )
}

/** Options for an enum, labelled with a capital first letter. */
export function toOptions(values: readonly string[]): { value: string; label: string }[] {
  return values.map((value) => ({ value, label: value.charAt(0).toUpperCase() + value.slice(1) }))
}
