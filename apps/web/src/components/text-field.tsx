import type { InputHTMLAttributes } from 'react'
import { FieldFrame } from './field-frame'

type TTextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  name: string
  label: string
  errors?: string[] | undefined
}

/** A labelled input whose errors are announced with it (`aria-describedby`). */
export function TextField({ label, errors, ...inputProps }: TTextFieldProps) {
  return (
    <FieldFrame label={label} errors={errors}>
      {(control) => <input {...control} {...inputProps} />}
    </FieldFrame>
  )
}
