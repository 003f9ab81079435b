import { type TCreateWebhookInput, ZCreateWebhookInput } from '@fms/api/schemas'
import { useMutation } from '@tanstack/react-query'
import { useId } from 'react'
import { ALERT_KIND_OPTIONS } from '../alerts/alert-kinds'
import { EntityForm } from '../components/entity-form'
import { TextField } from '../components/text-field'
import { useZodForm } from '../lib/use-zod-form'
import { type RouterOutputs, useTRPC } from '../trpc'
import { readWebhookValues, toKindFieldName } from './webhook-values'

export type TCreatedWebhook = RouterOutputs['webhooks']['create']

interface TWebhookFormProps {
  /** Called with the new webhook, which carries its signing secret this once. */
  onCreated: (webhook: TCreatedWebhook) => Promise<void>
  /** A submit started: the page clears its last notice. */
  onSubmitting: () => void
}

/** Adds a webhook: its https URL, the alert kinds it receives (none ticked: all) and whether it is on. */
export function WebhookForm({ onCreated, onSubmitting }: TWebhookFormProps) {
  const trpc = useTRPC()
  const kindsHintId = useId()
  const create = useMutation(trpc.webhooks.create.mutationOptions())
  const form = useZodForm<TCreateWebhookInput>(
    ZCreateWebhookInput,
    async (input, element) => {
      const webhook = await create.mutateAsync(input)
      element.reset()
      await onCreated(webhook)
    },
    { read: readWebhookValues },
  )
  const kindErrors = form.fieldErrors.kinds

  return (
    <EntityForm
      heading="Add a webhook"
      form={form}
      onSubmitting={onSubmitting}
      submitLabel="Add webhook"
      layout="stack"
    >
      <TextField
        name="url"
        label="URL"
        type="url"
        inputMode="url"
        placeholder="https://hooks.example.com/fms"
        required
        errors={form.fieldErrors.url}
      />
      <fieldset
        className="kind-choices"
        aria-describedby={kindsHintId}
        aria-invalid={kindErrors?.length ? true : undefined}
      >
        <legend>Alert kinds</legend>
        <p id={kindsHintId} className="muted">
          {kindErrors?.length ? (
            <span className="field-error">{kindErrors.join(' ')}</span>
          ) : (
            'Tick none to receive every kind.'
          )}
        </p>
        <div className="kind-grid">
          {ALERT_KIND_OPTIONS.map((option) => (
            <label key={option.value} className="checkbox-label">
              <input type="checkbox" name={toKindFieldName(option.value)} /> {option.label}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="checkbox-label">
        <input type="checkbox" name="isEnabled" defaultChecked /> Enabled: send alerts as they
        happen
      </label>
    </EntityForm>
  )
}
