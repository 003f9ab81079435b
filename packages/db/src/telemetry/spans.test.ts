import { describe, expect, it } from 'vitest'
import { SPAN_MAX_GAP_MS, spanVehicles } from './rows.ts'

const ORG_A = 'org-a'
const ORG_B = 'org-b'
const HOUR = 3_600_000

describe('spanVehicles (activity marks of a batch)', () => {
  it('gives each vehicle one span over its points, grouped by organization', () => {
    const marks = spanVehicles([
      { time: 5000, orgId: ORG_A, vehicleId: 'v1' },
      { time: 1000, orgId: ORG_A, vehicleId: 'v1' },
      { time: 3000, orgId: ORG_A, vehicleId: 'v2' },
      { time: 2000, orgId: ORG_B, vehicleId: 'v3' },
      { time: 9000, orgId: ORG_A, vehicleId: null },
    ])
    expect(marks).toEqual([
      {
        org_id: ORG_A,
        spans: [
          ['v1', 1000, 5000],
          ['v2', 3000, 3000],
        ],
      },
      { org_id: ORG_B, spans: [['v3', 2000, 2000]] },
    ])
  })

  it("splits a vehicle's points more than SPAN_MAX_GAP_MS apart into separate spans", () => {
    const now = 400 * 24 * HOUR
    const yearAgo = now - 365 * 24 * HOUR
    const marks = spanVehicles([
      { time: now, orgId: ORG_A, vehicleId: 'v1' },
      { time: yearAgo, orgId: ORG_A, vehicleId: 'v1' },
      { time: now - SPAN_MAX_GAP_MS, orgId: ORG_A, vehicleId: 'v1' },
      { time: yearAgo + 1000, orgId: ORG_A, vehicleId: 'v1' },
    ])
    expect(marks).toEqual([
      {
        org_id: ORG_A,
        spans: [
          ['v1', now - SPAN_MAX_GAP_MS, now],
          ['v1', yearAgo, yearAgo + 1000],
        ],
      },
    ])
  })
})
