/** What the last action did, announced politely (`role="status"`); kept in place when empty. */
export function StatusNotice({ message }: { message: string | null }) {
  return (
    <p role="status" className="form-notice">
      {message}
    </p>
  )
}
