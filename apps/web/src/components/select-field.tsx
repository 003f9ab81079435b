import type { SelectHTMLAttributes } from 'react'
import { FieldFrame } from './field-frame'

type TSelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & {
  name: string
  label: string
  options: readonly { value: string; label: string }[]
  errors?: string[] | undefined
}

/** A labelled select whose errors are announced with it, like TextField. */
export function SelectField({ label, options, errors, ...selectProps }: TSelectFieldProps) {
  return (
    <FieldFrame label={label} errors={errors}>
      {(control) => (
        <select {...control} {...selectProps}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  )
}

/** Options for an enum, labelled with a capital first letter. */
export function toOptions(values: readonly string[]): { value: string; label: string }[] {
  return values.map((value) => ({ value, label: value.charAt(0).toUpperCase() + value.slice(1) }))
}
