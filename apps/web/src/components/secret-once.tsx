import { type ReactNode, useEffect, useId, useRef, useState } from 'react'

interface TSecretOnceProps {
  /** e.g. `Token “Trackers” created`. */
  heading: string
  /** The field's label, e.g. "Token secret". */
  label: string
  secret: string
  /** What the secret is for; the "shown only this once" warning is said before it. */
  children: ReactNode
  onDismiss: () => void
}

/**
 * A new secret, shown once: a read-only field to select, a copy button, and a dismiss button.
 * Focus lands on the secret so keyboard and screen-reader users find it.
 */
export function SecretOnce({ heading, label, secret, children, onDismiss }: TSecretOnceProps) {
  const id = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle')
  useEffect(() => {
    inputRef.current?.focus()
    inputRef.current?.select()
  }, [])

  async function copySecret() {
    try {
      await navigator.clipboard.writeText(secret)
      setCopyState('copied')
    } catch {
      inputRef.current?.select()
      setCopyState('failed')
    }
  }

  return (
    <section className="card secret-box" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <p>Copy the secret now: it is shown only this once. {children}</p>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input ref={inputRef} id={id} className="mono" readOnly value={secret} />
      </div>
      <div className="form-actions">
        <button type="button" onClick={copySecret}>
          Copy secret
        </button>
        <button type="button" className="secondary" onClick={onDismiss}>
          Done
        </button>
        <span role="status">
          {copyState === 'copied'
            ? 'Copied to the clipboard.'
            : copyState === 'failed'
              ? 'Copying is blocked here: the secret is selected, press Ctrl+C.'
              : ''}
        </span>
      </div>
    </section>
  )
}
