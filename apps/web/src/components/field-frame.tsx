import { type ReactNode, useId } from 'react'

/** What a field's control takes from its frame: its id and how its errors are announced. */
export interface TFieldControlProps {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
}

interface TFieldFrameProps {
  label: string
  errors?: string[] | undefined
  children: (control: TFieldControlProps) => ReactNode
}

/** A label, the control it names, and the control's errors (announced with it). */
export function FieldFrame({ label, errors, children }: TFieldFrameProps) {
  const id = useId()
  const errorId = `${id}-error`
  const hasErrors = errors !== undefined && errors.length > 0
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        'aria-invalid': hasErrors || undefined,
        'aria-describedby': hasErrors ? errorId : undefined,
      })}
      {hasErrors && (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  )
}
