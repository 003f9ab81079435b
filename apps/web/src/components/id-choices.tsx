import { useId, useState } from 'react'
import './id-choices.css'

export interface TIdChoicesProps {
  legend: string
  hint: string
  errors?: string[] | undefined
  /** The ids listed now (a search's matches, or the first page). */
  options: readonly { value: string; label: string }[]
  /** The form field of a chosen id (`createIdCheckboxes(…).fieldName`). */
  fieldName: (id: string) => string
  /** The ids chosen when the form opens. */
  initial: readonly string[]
  /** What the ids are, for the note on chosen ones not listed (`vehicles`). */
  what: string
  /** A search box above the boxes, reporting what is typed (the caller lists the matches). */
  search?: { label: string; value: string; onChange: (value: string) => void }
}

/**
 * Checkboxes for a set of ids whose choice outlives the list shown: every chosen id is sent as a
 * hidden field, so a search that hides some, or a list that shows only the first 100, never
 * drops them from the save; a note counts the chosen ones not listed.
 */
export function IdChoices(props: TIdChoicesProps) {
  const { legend, hint, errors, options, fieldName, initial, what, search } = props
  const hintId = useId()
  const searchId = useId()
  const [chosen, setChosen] = useState(() => new Set(initial))
  const listed = new Set(options.map((option) => option.value))
  const unlistedCount = [...chosen].filter((id) => !listed.has(id)).length

  function toggle(id: string, isChecked: boolean) {
    setChosen((held) => {
      const next = new Set(held)
      if (isChecked) next.add(id)
      else next.delete(id)
      return next
    })
  }

  return (
    <fieldset
      className="id-choices"
      aria-describedby={hintId}
      aria-invalid={errors?.length ? true : undefined}
    >
      <legend>{legend}</legend>
      <p id={hintId} className="muted">
        {errors?.length ? <span className="field-error">{errors.join(' ')}</span> : hint}
      </p>
      {search && (
        <div className="field search-field">
          <label htmlFor={searchId}>{search.label}</label>
          <input
            id={searchId}
            type="search"
            value={search.value}
            onChange={(event) => search.onChange(event.target.value)}
          />
        </div>
      )}
      <div className="id-choice-grid">
        {options.map((option) => (
          <label key={option.value} className="checkbox-label">
            <input
              type="checkbox"
              checked={chosen.has(option.value)}
              onChange={(event) => toggle(option.value, event.target.checked)}
            />{' '}
            {option.label}
          </label>
        ))}
      </div>
      {options.length === 0 && <p className="muted">Nothing to choose from.</p>}
      {[...chosen].map((id) => (
        <input key={id} type="hidden" name={fieldName(id)} value="on" />
      ))}
      <p className="muted" aria-live="polite">
        {chosen.size} {what} chosen
        {unlistedCount > 0 && `, ${unlistedCount} of them not listed here (kept)`}.
      </p>
    </fieldset>
  )
}
