import { describe, expect, it } from 'vitest'
import { MAX_RANGE_MS, parseRoute } from '../lib/hash-route'
import { formatTripLink, TRIP_MARGIN_MS } from './trip-link'

const VEHICLE_ID = '0b6f2c1e-8a3d-4f5e-9c7b-1d2e3f4a5b6c'
const START = 1_795_000_000_000

describe('trip links', () => {
  it('opens the vehicle page on the trip with a minute either side', () => {
    const link = formatTripLink({ vehicleId: VEHICLE_ID, start: START, end: START + 1_800_000 })
    expect(parseRoute(link)).toEqual({
      name: 'vehicle',
      id: VEHICLE_ID,
      range: { from: START - TRIP_MARGIN_MS, to: START + 1_800_000 + TRIP_MARGIN_MS },
    })
  })

  it('caps a trip longer than the history limit to a range the page accepts', () => {
    const link = formatTripLink({
      vehicleId: VEHICLE_ID,
      start: START,
      end: START + 2 * MAX_RANGE_MS,
    })
    const route = parseRoute(link)
    expect(route).toMatchObject({ name: 'vehicle', range: { from: START - TRIP_MARGIN_MS } })
    expect(route.name === 'vehicle' && route.range && route.range.to - route.range.from).toBe(
      MAX_RANGE_MS,
    )
  })
})
