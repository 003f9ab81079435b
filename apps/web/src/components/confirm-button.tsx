import { useEffect, useRef, useState } from 'react'

interface TConfirmButtonProps {
  /** The button's visible text, e.g. "Revoke". */
  children: string
  /** Its accessible name, naming the object, e.g. "Revoke token Trackers". */
  label: string
  /** The confirming button's text, e.g. "Confirm revoke". */
  confirmText: string
  onConfirm: () => void
  isPending?: boolean
}

/**
 * A destructive action asked twice, in place (no browser dialog): the first press shows
 * confirm and cancel buttons, and focus moves to confirm.
 */
export function ConfirmButton({
  children,
  label,
  confirmText,
  onConfirm,
  isPending = false,
}: TConfirmButtonProps) {
  const [isAsking, setIsAsking] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (isAsking) confirmRef.current?.focus()
  }, [isAsking])

  if (!isAsking) {
    return (
      <button
        type="button"
        className="secondary"
        aria-label={label}
        onClick={() => setIsAsking(true)}
      >
        {children}
      </button>
    )
  }
  return (
    <span className="confirm-group">
      <button
        ref={confirmRef}
        type="button"
        className="danger"
        disabled={isPending}
        onClick={() => {
          onConfirm()
          setIsAsking(false)
        }}
      >
        {confirmText}
      </button>
      <button type="button" className="secondary" onClick={() => setIsAsking(false)}>
        Cancel
      </button>
    </span>
  )
}

const CONFIRMING = {
  Remove: 'removing',
  Delete: 'deleting',
  Revoke: 'revoking',
  Rotate: 'rotating',
} as const

interface TConfirmActionProps {
  verb: keyof typeof CONFIRMING
  /** What kind of thing, e.g. "token". */
  what: string
  /** Which one, as people know it, e.g. its title. */
  name: string
  onConfirm: () => void
  isPending?: boolean
}

/** A row's destructive action, named the same way everywhere: "Revoke token Trackers", "Confirm revoking Trackers". */
export function ConfirmAction({ verb, what, name, onConfirm, isPending }: TConfirmActionProps) {
  return (
    <ConfirmButton
      label={`${verb} ${what} ${name}`}
      confirmText={`Confirm ${CONFIRMING[verb]} ${name}`}
      onConfirm={onConfirm}
      isPending={isPending}
    >
      {verb}
    </ConfirmButton>
  )
}
