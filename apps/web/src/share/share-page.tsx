import { convertSpeed } from '@fms/api/schemas'
import * as L from 'leaflet'
import { useEffect, useRef, useState } from 'react'
import { formatDateTime, formatPosition, formatReading } from '../lib/format'
import { createTextElement } from '../lib/text-element'
import { createBaseMap } from '../map/base-map'
import type { RouterOutputs } from '../trpc'
import { createShareClient } from './share-client'
import './share.css'

type SharedVehicle = RouterOutputs['shared']['view']['vehicles'][number]

/** In the sharing organization's unit when it reads miles; else as the reader's settings say. */
function formatSharedSpeed(kmh: number | null, unit: 'km' | 'mi'): string {
  if (unit === 'km') return formatReading(kmh, 'km/h')
  return formatReading(kmh === null ? null : convertSpeed(kmh, 'mi'), 'mph')
}

type ShareState =
  | { status: 'loading' }
  | { status: 'ended' }
  | {
      status: 'shown'
      name: string | null
      expiresAt: Date
      distanceUnit: 'km' | 'mi'
      vehicles: SharedVehicle[]
    }

/**
 * `#/share/<token>`: the link's vehicles live on a map and in a small list, for anyone holding
 * the link, without signing in and without the rest of the app. When the link expires or is
 * revoked the server ends the stream, and the page says so.
 */
export function SharePage({ token }: { token: string }) {
  const [state, setState] = useState<ShareState>({ status: 'loading' })
  useEffect(() => {
    const ended = () => setState({ status: 'ended' })
    const { client, close } = createShareClient(token, ended)
    let subscription: { unsubscribe(): void } | undefined
    let isActive = true
    client.shared.view
      .query()
      .then((view) => {
        if (!isActive) return
        setState({
          status: 'shown',
          name: view.name,
          expiresAt: view.expiresAt,
          distanceUnit: view.distanceUnit,
          vehicles: view.vehicles,
        })
        subscription = client.shared.live.subscribe(
          { lastEventId: view.lastEventId },
          {
            onData: ({ data }) => {
              setState((current) => {
                if (current.status !== 'shown') return current
                const byId = new Map(current.vehicles.map((v) => [v.vehicleId, v]))
                for (const position of data.positions) {
                  const vehicle = byId.get(position.vehicleId)
                  if (!vehicle || (vehicle.time && vehicle.time.getTime() > position.time)) continue
                  byId.set(position.vehicleId, {
                    ...vehicle,
                    ...position,
                    time: new Date(position.time),
                  })
                }
                return { ...current, vehicles: [...byId.values()] }
              })
            },
            onError: ended,
            onComplete: ended,
          },
        )
      })
      .catch(() => {
        if (isActive) ended()
      })
    // Expiry ends the page even if the socket's close is missed.
    return () => {
      isActive = false
      subscription?.unsubscribe()
      close()
    }
  }, [token])

  useEffect(() => {
    if (state.status !== 'shown') return
    const wait = state.expiresAt.getTime() - Date.now()
    const timer = setTimeout(
      () => setState({ status: 'ended' }),
      Math.max(0, Math.min(wait, 2 ** 31 - 1)),
    )
    return () => clearTimeout(timer)
  }, [state])

  if (state.status === 'loading') {
    return (
      <main className="share-page" aria-busy="true">
        <p>Loading…</p>
      </main>
    )
  }
  if (state.status === 'ended') {
    return (
      <main className="share-page">
        <h1>This link has ended</h1>
        <p role="status">The link expired or was revoked. Ask whoever shared it for a new one.</p>
      </main>
    )
  }
  return (
    <main className="share-page">
      <header className="share-header">
        <h1>{state.name ?? 'Shared vehicles'}</h1>
        <p>Live until {formatDateTime(state.expiresAt)}</p>
      </header>
      <div className="share-body">
        <SharedMap vehicles={state.vehicles} />
        <ul className="share-list" aria-label="Shared vehicles">
          {state.vehicles.map((vehicle) => (
            <li key={vehicle.vehicleId} data-vehicle-id={vehicle.vehicleId}>
              <strong>{vehicle.code}</strong>
              <span>{formatSharedSpeed(vehicle.speed, state.distanceUnit)}</span>
              <span>{formatPosition(vehicle.lat, vehicle.lon)}</span>
              <span>{vehicle.time ? formatDateTime(vehicle.time) : 'No position yet'}</span>
            </li>
          ))}
        </ul>
      </div>
    </main>
  )
}

/** The vehicles as labelled dots; the view fits them the first time positions arrive. */
function SharedMap({ vehicles }: { vehicles: SharedVehicle[] }) {
  const container = useRef<HTMLDivElement>(null)
  const map = useRef<{ map: L.Map; layer: L.LayerGroup; isFitted: boolean } | null>(null)
  useEffect(() => {
    if (!container.current) return
    const created = createBaseMap(container.current, 'Map of the shared vehicles')
    map.current = { map: created, layer: L.layerGroup().addTo(created), isFitted: false }
    return () => {
      created.remove()
      map.current = null
    }
  }, [])
  useEffect(() => {
    const current = map.current
    if (!current) return
    current.layer.clearLayers()
    const points: L.LatLngTuple[] = []
    for (const vehicle of vehicles) {
      if (vehicle.lat === null || vehicle.lon === null) continue
      points.push([vehicle.lat, vehicle.lon])
      L.circleMarker([vehicle.lat, vehicle.lon], { radius: 8, weight: 2 })
        // Text only: a vehicle code is never read as markup.
        .bindTooltip(createTextElement(vehicle.code), { permanent: true, direction: 'right' })
        .addTo(current.layer)
    }
    if (!current.isFitted && points.length > 0) {
      current.map.fitBounds(L.latLngBounds(points), { maxZoom: 15, padding: [40, 40] })
      current.isFitted = true
    }
  }, [vehicles])
  return <div ref={container} className="share-map" />
}
