import type { InputHTMLAttributes } from 'react'
import { SelectField } from '../components/select-field'
import { TextField } from '../components/text-field'
import type { TFieldErrors } from '../lib/form-errors'

type TOption = { value: string; label: string }
type TInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'name' | 'defaultValue'>

/** The names of a record's text, number and choice values: what a form field may show. */
type TFieldName<TRecord> = {
  [K in keyof TRecord]: TRecord[K] extends string | number | null ? K : never
}[keyof TRecord] &
  string

type TNamedField<TName extends string> = {
  name: TName
  label: string
  /** The value while adding a record (or where the record has none): blank unless given. */
  fallback?: string
} & ({ options: readonly TOption[] } | (TInputProps & { options?: undefined }))

/** One field of a record's form: a select when it has `options`, else a text input. */
export type TRecordField<TRecord> = TNamedField<TFieldName<TRecord>>

interface TRecordFieldsProps<TName extends string> {
  fields: readonly TNamedField<TName>[]
  /** The record being edited; null while adding one. */
  record: { readonly [K in TName]?: string | number | null } | null
  errors: TFieldErrors
}

/** The fields of an add-or-edit form, each showing the record's value and its own errors. */
export function RecordFields<TName extends string>(props: TRecordFieldsProps<TName>) {
  const { fields, record, errors } = props
  return fields.map(({ name, label, fallback = '', options, ...inputProps }) => {
    const defaultValue = record?.[name] ?? fallback
    return options ? (
      <SelectField
        key={name}
        name={name}
        label={label}
        options={options}
        defaultValue={defaultValue}
        errors={errors[name]}
      />
    ) : (
      <TextField
        key={name}
        name={name}
        label={label}
        {...inputProps}
        defaultValue={defaultValue}
        errors={errors[name]}
      />
    )
  })
}
