import { request } from 'node:http'
import { DAILY_CSV_PIECE_VEHICLES } from '@fms/api'
import { type Fleet, postTelemetry, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

let server: RunningServer
let fleet: Fleet
let other: Fleet
/** Two whole past days. */
const FROM = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10)
const TO = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10)
/**
 * A code a spreadsheet would read as a formula (codes allow letters, digits, dot, dash and
 * underscore, so a leading dash is what an attacker has; quoting is proven in csv.test.ts).
 */
const EVIL_CODE = '-1-1.A_1'
/** More vehicles than one piece, so the answer is written in several. */
const VEHICLE_COUNT = DAILY_CSV_PIECE_VEHICLES + 10

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '0' })
  const codes = [
    EVIL_CODE,
    ...Array.from({ length: VEHICLE_COUNT - 1 }, (_, i) => `V-${String(i).padStart(3, '0')}`),
  ]
  fleet = await provisionFleet(server.url, { codes })
  other = await provisionFleet(server.url, { orgName: 'Other' })
  // Ten minutes at 60 km/h on the first day for the first vehicle.
  const start = Date.parse(`${FROM}T08:00:00Z`)
  const body = Array.from({ length: 61 }, (_, i) => ({
    device_id: fleet.deviceIds[0],
    time: new Date(start + i * 10_000).toISOString(),
    lat: 52.5,
    lon: 13 + i * (1 / 6 / 67.77),
    speed: 60,
    ignition: true,
  }))
  expect((await postTelemetry(server.url, { token: fleet.token.secret, body })).status).toBe(200)
}, 180_000)
afterAll(() => server?.close())

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** GET over plain HTTP; `pauseMs` stops reading after the first chunk for that long. */
function get(path: string, token?: string, pauseMs = 0): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = token ? { authorization: `Bearer ${token}` } : {}
    request(new URL(path, server.url), { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        if (pauseMs > 0 && chunks.length === 1) {
          res.pause()
          setTimeout(() => res.resume(), pauseMs)
        }
      })
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      )
      res.on('error', reject)
    })
      .on('error', reject)
      .end()
  })
}

const csvPath = (query: Record<string, string>) =>
  `/api/reports/daily.csv?${new URLSearchParams(query)}`

describe('GET /api/reports/daily.csv', () => {
  it('answers 401 without a token and with a bad one', async () => {
    const anonymous = await get(csvPath({ from: FROM, to: TO }))
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers['www-authenticate']).toBe('Bearer')
    expect(JSON.parse(anonymous.body)).toEqual({ error: 'Sign in first' })
    const forged = await get(csvPath({ from: FROM, to: TO }), `${fleet.accessToken}x`)
    expect(forged.status).toBe(401)
  })

  it('answers 400 naming the fields at fault', async () => {
    const answer = await get(
      csvPath({ from: TO, to: FROM, timeZone: 'Mars/Base' }),
      fleet.accessToken,
    )
    expect(answer.status).toBe(400)
    const body = JSON.parse(answer.body) as { error: string; fieldErrors: Record<string, string[]> }
    expect(body.error).toBe('Invalid input')
    expect(Object.keys(body.fieldErrors).sort()).toEqual(['timeZone', 'to'])
    expect((await get(csvPath({ to: TO }), fleet.accessToken)).status).toBe(400)
  })

  it('streams every vehicle-day of the org, quoted and safe from formulas', async () => {
    const answer = await get(csvPath({ from: FROM, to: TO }), fleet.accessToken)
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(answer.headers['content-disposition']).toBe(
      `attachment; filename="fms-daily-${FROM}_${TO}.csv"`,
    )
    // Written in pieces: no length known up front.
    expect(answer.headers['transfer-encoding']).toBe('chunked')
    const lines = answer.body.split('\r\n')
    expect(lines.pop()).toBe('')
    expect(lines[0]).toMatch(/^vehicle_code,vehicle_id,date,distance_km,driving_sec,/)
    expect(lines).toHaveLength(1 + VEHICLE_COUNT * 2)
    const [first] = fleet.vehicles
    expect(lines[1]).toMatch(new RegExp(`^'-1-1\\.A_1,${first?.id},${FROM},\\d+(\\.\\d+)?,600,`))
    expect(lines[2]).toMatch(new RegExp(`^'-1-1\\.A_1,${first?.id},${TO},0,0,0,`))
    // The same figures as reports.daily gives.
    const report = await fleet.api.reports.daily.query({ from: FROM, to: TO, vehicleId: first?.id })
    expect(report.vehicles[0]?.days[0]?.distanceKm).toBeCloseTo(Number(lines[1]?.split(',')[3]), 3)
  })

  it('finishes the file for a client that stops reading for a while', async () => {
    const whole = await get(csvPath({ from: FROM, to: TO }), fleet.accessToken)
    const paused = await get(csvPath({ from: FROM, to: TO }), fleet.accessToken, 500)
    expect(paused.body).toBe(whole.body)
  })

  it("keeps to the caller's organization", async () => {
    const theirs = await get(csvPath({ from: FROM, to: TO }), other.accessToken)
    expect(theirs.status).toBe(200)
    expect(theirs.body).not.toContain(fleet.vehicles[0]?.id)
    expect(theirs.body.trimEnd().split('\r\n')).toHaveLength(1 + 2)
    const probe = csvPath({ from: FROM, to: TO, vehicleId: fleet.vehicles[0]?.id ?? '' })
    const answer = await get(probe, other.accessToken)
    expect(answer.status).toBe(404)
    expect(JSON.parse(answer.body)).toEqual({ error: 'Vehicle not found' })
  })
})

describe('GET /api/reports/daily.csv in the reader’s units', () => {
  it('names miles, mph and gallons in the header and converts the values, after the user chose them', async () => {
    await fleet.api.settings.updateMine.mutate({ distanceUnit: 'mi', volumeUnit: 'gal' })
    try {
      const answer = await get(csvPath({ from: FROM, to: FROM }), fleet.accessToken)
      expect(answer.status).toBe(200)
      const [header, first] = answer.body.split('\r\n')
      expect(header).toMatch(
        /^vehicle_code,vehicle_id,date,distance_mi,driving_sec,idle_sec,max_speed_mph,avg_speed_mph,fuel_used_pct,refuelled_pct,fuel_used_gal,refuelled_gal,/,
      )
      // About 10 km at 60 km/h: about 6.2 mi at 37 mph.
      const cells = first?.split(',') ?? []
      expect(Number(cells[3])).toBeGreaterThan(5.9)
      expect(Number(cells[3])).toBeLessThan(6.5)
      expect(Number(cells[6])).toBeCloseTo(37.3, 0)
    } finally {
      await fleet.api.settings.updateMine.mutate({ distanceUnit: null, volumeUnit: null })
    }
  })
})
