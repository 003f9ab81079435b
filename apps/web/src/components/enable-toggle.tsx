interface TEnableToggleProps {
  isEnabled: boolean
  /** What kind of thing, e.g. "rule". */
  what: string
  name: string
  disabled: boolean
  onToggle: () => void
}

/** Switches a rule or webhook on or off; named for what it will do: "Disable rule Overspeed". */
export function EnableToggle({ isEnabled, what, name, disabled, onToggle }: TEnableToggleProps) {
  const action = isEnabled ? 'Disable' : 'Enable'
  return (
    <button
      type="button"
      className="secondary"
      aria-label={`${action} ${what} ${name}`}
      disabled={disabled}
      onClick={onToggle}
    >
      {action}
    </button>
  )
}
