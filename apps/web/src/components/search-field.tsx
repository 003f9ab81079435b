import { useEffect, useId, useState } from 'react'

/** A labelled search box that reports its value once typing pauses. */
export function SearchField({
  label,
  onSearch,
  delayMs = 250,
}: {
  label: string
  onSearch: (value: string) => void
  delayMs?: number
}) {
  const id = useId()
  const [value, setValue] = useState('')
  useEffect(() => {
    const timer = window.setTimeout(() => onSearch(value.trim()), delayMs)
    return () => window.clearTimeout(timer)
  }, [value, delayMs, onSearch])
  return (
    <div className="field search-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
    </div>
  )
}
