import { SecretOnce } from '../components/secret-once'

/** A new API token's secret, shown once. */
export function TokenSecret({
  title,
  secret,
  onDismiss,
}: {
  title: string
  secret: string
  onDismiss: () => void
}) {
  return (
    <SecretOnce
      heading={`Token “${title}” created`}
      label="Token secret"
      secret={secret}
      onDismiss={onDismiss}
    >
      Devices send it as <code>Authorization: Bearer …</code>.
    </SecretOnce>
  )
}
