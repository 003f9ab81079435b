import { ZCreateGeofenceInput } from '@fms/api/schemas'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { ConfirmAction } from '../components/confirm-button'
import { DataTable } from '../components/data-table'
import { FormAlert } from '../components/form-alert'
import { ListFooter } from '../components/load-more'
import { SelectField } from '../components/select-field'
import { StatusNotice } from '../components/status-notice'
import { TextField } from '../components/text-field'
import { readFormError, readServerFieldErrors, type TFieldErrors } from '../lib/form-errors'
import { formatCount, formatPosition } from '../lib/format'
import { flattenPages, readNextCursor, usePageMessages } from '../lib/use-page-messages'
import type { TGeofence } from '../map/geofence-layers'
import { useTRPC } from '../trpc'
import { GeofenceMap } from './geofence-map'

type TShapeType = 'circle' | 'polygon'

function toNumber(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value)
}

/** Zod issues keyed by their last path segment (`shape.lat` is the Latitude field's). */
function toFieldErrors(issues: readonly { path: PropertyKey[]; message: string }[]): TFieldErrors {
  const errors: TFieldErrors = {}
  for (const issue of issues) {
    const key = String(issue.path.findLast((part) => typeof part === 'string') ?? 'name')
    errors[key] = [...(errors[key] ?? []), issue.message]
  }
  return errors
}

function describeShape(geofence: TGeofence): string {
  const { shape } = geofence
  return shape.type === 'circle'
    ? `Circle, ${formatCount(shape.radiusM)} m around ${formatPosition(shape.lat, shape.lon)}`
    : `Polygon, ${shape.points.length} points`
}

/** Geofences: circles (centre and radius) or polygons clicked on the map. */
export function GeofencesPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [shapeType, setShapeType] = useState<TShapeType>('circle')
  const [lat, setLat] = useState('')
  const [lon, setLon] = useState('')
  const [radius, setRadius] = useState('500')
  const [points, setPoints] = useState<[number, number][]>([])
  const [errors, setErrors] = useState<TFieldErrors>({})
  const [formError, setFormError] = useState<string | null>(null)
  const { notice, setNotice, actionError, setActionError, showActionError } = usePageMessages()
  const list = useInfiniteQuery(
    trpc.geofences.list.infiniteQueryOptions(
      { sort: 'name', order: 'asc', limit: 100 },
      { getNextPageParam: readNextCursor },
    ),
  )
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.geofences.pathKey() })
  const create = useMutation(trpc.geofences.create.mutationOptions())
  const remove = useMutation(
    trpc.geofences.remove.mutationOptions({
      onSuccess: (geofence) => setNotice(`Geofence ${geofence.name} deleted.`),
      onError: showActionError,
      onSettled: invalidate,
    }),
  )
  const geofences = flattenPages(list.data)

  const shape =
    shapeType === 'circle'
      ? {
          type: 'circle' as const,
          lat: toNumber(lat),
          lon: toNumber(lon),
          radiusM: toNumber(radius),
        }
      : { type: 'polygon' as const, points }
  const circleDraft =
    shape.type === 'circle' &&
    Number.isFinite(shape.lat) &&
    Number.isFinite(shape.lon) &&
    shape.radiusM > 0
      ? shape
      : null
  const draft = shapeType === 'circle' ? circleDraft : { type: 'points' as const, points }

  function onMapClick(clickedLat: number, clickedLon: number) {
    if (shapeType === 'circle') {
      setLat(String(clickedLat))
      setLon(String(clickedLon))
    } else {
      setPoints((held) => [...held, [clickedLat, clickedLon]])
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setNotice(null)
    setFormError(null)
    const parsed = ZCreateGeofenceInput.safeParse({ name, shape })
    if (!parsed.success) {
      setErrors(toFieldErrors(parsed.error.issues))
      return
    }
    setErrors({})
    try {
      const geofence = await create.mutateAsync(parsed.data)
      await invalidate()
      setName('')
      setPoints([])
      setNotice(`Geofence ${geofence.name} added.`)
    } catch (error) {
      setErrors(readServerFieldErrors(error))
      setFormError(readFormError(error))
    }
  }

  return (
    <main className="page">
      <h1>Geofences</h1>
      <StatusNotice message={notice} />
      <form
        className="card entity-form"
        aria-label="Add a geofence"
        onSubmit={(event) => void onSubmit(event)}
        noValidate
      >
        <h2>Add a geofence</h2>
        <FormAlert message={formError} />
        <div className="form-grid">
          <TextField
            name="name"
            label="Name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            errors={errors.name}
          />
          <SelectField
            name="shapeType"
            label="Shape"
            value={shapeType}
            onChange={(event) => setShapeType(event.target.value as TShapeType)}
            options={[
              { value: 'circle', label: 'Circle' },
              { value: 'polygon', label: 'Polygon' },
            ]}
          />
          {shapeType === 'circle' ? (
            <>
              <TextField
                name="lat"
                label="Latitude"
                type="number"
                step="any"
                inputMode="decimal"
                value={lat}
                onChange={(event) => setLat(event.target.value)}
                errors={errors.lat}
              />
              <TextField
                name="lon"
                label="Longitude"
                type="number"
                step="any"
                inputMode="decimal"
                value={lon}
                onChange={(event) => setLon(event.target.value)}
                errors={errors.lon}
              />
              <TextField
                name="radiusM"
                label="Radius (m)"
                type="number"
                inputMode="numeric"
                value={radius}
                onChange={(event) => setRadius(event.target.value)}
                errors={errors.radiusM}
              />
            </>
          ) : (
            <div className="field">
              <p id="polygon-points">{points.length} points: click the map to add corners.</p>
              {errors.points && <p className="field-error">{errors.points.join(' ')}</p>}
              <button
                type="button"
                className="secondary"
                disabled={points.length === 0}
                onClick={() => setPoints([])}
              >
                Clear points
              </button>
            </div>
          )}
        </div>
        <p className="muted">
          {shapeType === 'circle'
            ? 'Click the map to set the centre.'
            : 'Click the map to add the polygon’s corners.'}
        </p>
        <GeofenceMap geofences={geofences} draft={draft} onMapClick={onMapClick} />
        <div className="form-actions">
          <button type="submit" disabled={create.isPending}>
            Add geofence
          </button>
        </div>
      </form>
      <FormAlert message={actionError} />
      <DataTable caption="Geofences" columns={['Name', 'Shape', 'Actions']}>
        {geofences.map((geofence) => (
          <tr key={geofence.id}>
            <th scope="row">{geofence.name}</th>
            <td>{describeShape(geofence)}</td>
            <td className="row-actions">
              <ConfirmAction
                verb="Delete"
                what="geofence"
                name={geofence.name}
                isPending={remove.isPending}
                onConfirm={() => {
                  setNotice(null)
                  setActionError(null)
                  remove.mutate({ id: geofence.id })
                }}
              />
            </td>
          </tr>
        ))}
      </DataTable>
      <ListFooter
        query={list}
        count={geofences.length}
        what="geofences"
        emptyText="No geofences yet."
      />
    </main>
  )
}
