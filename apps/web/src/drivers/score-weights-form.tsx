import { ZScoreWeights } from '@fms/api/schemas'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { EntityForm } from '../components/entity-form'
import { StatusNotice } from '../components/status-notice'
import { TextField } from '../components/text-field'
import { useZodForm } from '../lib/use-zod-form'
import { useTRPC } from '../trpc'
import { formatWeight, SCORE_COMPONENT_NAMES, SCORE_COMPONENTS } from './driver-score'

/** Blank keeps a weight as it is; anything else must be a number (the schema says which). */
function readWeights(values: Record<string, string>) {
  return Object.fromEntries(
    SCORE_COMPONENT_NAMES.flatMap((name) => {
      const text = values[name]?.trim() ?? ''
      return text === '' ? [] : [[name, Number(text)]]
    }),
  )
}

/**
 * The organization's score weights with what each counts: admins change them here (the report
 * is recomputed with them at once); everyone else reads them.
 */
export function ScoreWeights({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const weights = useQuery(trpc.drivers.scoreWeights.queryOptions())
  const update = useMutation(trpc.drivers.updateScoreWeights.mutationOptions())
  const [notice, setNotice] = useState<string | null>(null)
  const form = useZodForm(
    ZScoreWeights,
    async (input) => {
      await update.mutateAsync(input)
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.drivers.scoreWeights.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.reports.drivers.pathKey() }),
      ])
      setNotice('Score weights saved.')
    },
    { read: readWeights },
  )
  const explanation = (
    <p className="muted">
      Each weight is the points taken off the score (100) per one unit of its measure; distances
      under 10 km count as 10 km.
    </p>
  )
  if (!weights.data) return null
  if (!isAdmin) {
    return (
      <section aria-labelledby="weights-heading">
        <h2 id="weights-heading">Score weights</h2>
        {explanation}
        <ul>
          {SCORE_COMPONENT_NAMES.map((name) => (
            <li key={name}>
              {SCORE_COMPONENTS[name].label}: {formatWeight(weights.data[name])} per{' '}
              {SCORE_COMPONENTS[name].unit}
            </li>
          ))}
        </ul>
      </section>
    )
  }
  return (
    <>
      <StatusNotice message={notice} />
      <EntityForm
        key={JSON.stringify(weights.data)}
        heading="Score weights"
        form={form}
        onSubmitting={() => setNotice(null)}
        submitLabel="Save weights"
      >
        {SCORE_COMPONENT_NAMES.map((name) => (
          <TextField
            key={name}
            name={name}
            label={`${SCORE_COMPONENTS[name].label} (points per ${SCORE_COMPONENTS[name].unit})`}
            type="number"
            inputMode="decimal"
            step="any"
            min={0}
            defaultValue={weights.data[name]}
            errors={form.fieldErrors[name]}
          />
        ))}
      </EntityForm>
      {explanation}
    </>
  )
}
