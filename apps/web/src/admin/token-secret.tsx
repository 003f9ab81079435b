import { useEffect, useId, useRef, useState } from 'react'

/**
 * A new token's secret, shown once: a read-only field to select, a copy button, and a
 * dismiss button. Focus lands on the secret so keyboard and screen-reader users find it.
 */
export function TokenSecret({
  title,
  secret,
  onDismiss,
}: {
  title: string
  secret: string
  onDismiss: () => void
}) {
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
      <h2 id={`${id}-heading`}>Token “{title}” created</h2>
      <p>
        Copy the secret now: it is shown only this once. Devices send it as{' '}
        <code>Authorization: Bearer …</code>.
      </p>
      <div className="field">
        <label htmlFor={id}>Token secret</label>
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
