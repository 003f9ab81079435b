/** The form-level error; `role="alert"` makes screen readers announce it when it appears. */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null
  return (
    <p role="alert" className="form-alert">
      {message}
    </p>
  )
}
