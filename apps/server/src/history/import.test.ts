import { type Fleet, postTelemetry, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server.ts'
import { startTestServer } from '../testing/server.ts'
import { waitUntil } from '../testing/wait.ts'
import { IMPORT_BATCH_POINTS } from './import.ts'

let server: RunningServer
let fleet: Fleet
let other: Fleet
const MAX_BYTES = 2_000_000
const START = Date.now() - 3 * 86_400_000
const RANGE = {
  from: new Date(START - 60_000).toISOString(),
  to: new Date(START + 86_400_000).toISOString(),
}
const SOURCE_POINTS = 500

beforeAll(async () => {
  server = await startTestServer({
    INGEST_RATE_LIMIT: '0',
    HISTORY_IMPORT_MAX_BYTES: String(MAX_BYTES),
    // The rules engine sees a rule created just before an import.
    ALERTS_RULE_CACHE_SEC: '0',
  })
  fleet = await provisionFleet(server.url, { vehicles: 5 })
  other = await provisionFleet(server.url, { orgName: 'Other' })
  const body = Array.from({ length: SOURCE_POINTS }, (_, i) => ({
    device_id: fleet.deviceIds[0],
    time: START + i * 5000,
    lat: 52.5 + i * 1e-4,
    lon: 13.4 - i * 1e-4,
    // Some points without speed or altitude: the round trip keeps them absent.
    ...(i % 7 === 0 ? {} : { speed: 33.3 + (i % 50), altitude: 30.25 + i }),
    heading: i % 360,
  }))
  expect((await postTelemetry(server.url, { token: fleet.token.secret, body })).status).toBe(200)
}, 180_000)
afterAll(() => server?.close())

async function exportGpx(vehicleIndex: number): Promise<string> {
  const res = await fetch(
    `${server.url}/api/vehicles/${fleet.vehicleIds[vehicleIndex]}/history.gpx?${new URLSearchParams(RANGE)}`,
    { headers: { authorization: `Bearer ${fleet.accessToken}` } },
  )
  expect(res.status).toBe(200)
  return res.text()
}

interface ImportAnswer {
  status: number
  lines: Record<string, unknown>[]
  summary: {
    read: number
    stored: number
    duplicates: number
    rejected: number
    rejections: { at: string; error: string }[]
    error?: string
  }
}

async function importFile(
  deviceId: string,
  format: string,
  body: string,
  token = fleet.accessToken,
): Promise<ImportAnswer> {
  const res = await fetch(`${server.url}/api/devices/${deviceId}/history?format=${format}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body,
  })
  const text = await res.text()
  const lines =
    res.status === 200
      ? text
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : []
  const last = lines.at(-1) as { summary?: ImportAnswer['summary'] } | undefined
  return { status: res.status, lines, summary: last?.summary as ImportAnswer['summary'] }
}

/** The track points of a GPX export (the part that says nothing about the vehicle). */
const trackOf = (gpx: string) => gpx.slice(gpx.indexOf('<trkseg>'))

describe('POST /api/devices/<id>/history', () => {
  it('round-trips GPX: an export imported into a fresh device exports the same track', async () => {
    const gpx = await exportGpx(0)
    const answer = await importFile(fleet.deviceIds[1]!, 'gpx', gpx)
    expect(answer.status).toBe(200)
    expect(answer.summary).toMatchObject({
      read: SOURCE_POINTS,
      stored: SOURCE_POINTS,
      duplicates: 0,
      rejected: 0,
    })
    const again = await exportGpx(1)
    expect(trackOf(again)).toBe(trackOf(gpx))
    expect(trackOf(gpx)).toContain('<ele>')
    expect(trackOf(gpx)).toContain('<fms:speed>')
  })

  it('stores nothing new when the same file is imported twice', async () => {
    const answer = await importFile(fleet.deviceIds[1]!, 'gpx', await exportGpx(0))
    expect(answer.summary).toMatchObject({ stored: 0, duplicates: SOURCE_POINTS, rejected: 0 })
  })

  it('imports CSV, listing each rejected row with its line and reason', async () => {
    const t = (s: number) => new Date(START + s * 1000).toISOString()
    const csv = [
      'time,lat,lon,speed,status,ignition,unknown_column',
      `${t(1)},52.1,13.1,40,"moving, fast",true,x`,
      `${t(2)},91,13.1,40,ok,true,x`,
      `not a time,52.1,13.1,40,ok,true,x`,
      `${t(3)},52.2,13.2,,'=1+1,false,x`,
      '',
    ].join('\r\n')
    const answer = await importFile(fleet.deviceIds[2]!, 'csv', csv)
    expect(answer.summary).toMatchObject({ read: 4, stored: 2, duplicates: 0, rejected: 2 })
    expect(answer.summary.rejections).toEqual([
      { at: 'line 3', error: 'lat must be <= 90' },
      { at: 'line 4', error: expect.stringContaining('time') },
    ])
    const { points } = await fleet.api.telemetry.points.query({
      vehicleId: fleet.vehicleIds[2]!,
      from: new Date(RANGE.from),
      to: new Date(RANGE.to),
    })
    expect(points.map((p) => [p.status, p.ignition, p.speed])).toEqual([
      ['moving, fast', true, 40],
      ['=1+1', false, null],
    ])
  })

  it('streams a file of several batches with a progress line per batch', async () => {
    const count = 2 * IMPORT_BATCH_POINTS + 17
    const rows = Array.from(
      { length: count },
      (_, i) => `${new Date(START + i * 1000).toISOString()},${50 + i * 1e-5},10`,
    )
    const answer = await importFile(
      fleet.deviceIds[3]!,
      'csv',
      `time,lat,lon\n${rows.join('\n')}\n`,
    )
    expect(answer.summary).toMatchObject({ read: count, stored: count, rejected: 0 })
    const progress = answer.lines.filter((l) => 'progress' in l)
    expect(progress).toHaveLength(3)
    expect(progress[0]).toMatchObject({ progress: { stored: IMPORT_BATCH_POINTS } })
  })

  it('reports a GPX that is not well-formed and stores nothing from it', async () => {
    const answer = await importFile(
      fleet.deviceIds[4]!,
      'gpx',
      '<gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2026-01-01T00:00:00Z</time></trkpt',
    )
    expect(answer.status).toBe(200)
    expect(answer.summary.stored).toBe(0)
    expect(answer.summary.error).toMatch(/^Not well-formed GPX/)
  })

  it('refuses the user role, other organizations, no token, a bad format and a file too large', async () => {
    const deviceId = fleet.deviceIds[4]!
    const user = await fleet.api.users.create.mutate({
      email: `u-${Date.now()}@example.com`,
      password: 'correct horse battery staple',
      role: 'user',
    })
    expect(user.role).toBe('user')
    const session = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        json: { email: user.email, password: 'correct horse battery staple' },
      }),
    }).then((r) => r.json() as Promise<{ result: { data: { json: { accessToken: string } } } }>)
    const userToken = session.result.data.json.accessToken
    expect((await importFile(deviceId, 'csv', 'time\n', userToken)).status).toBe(403)
    expect((await importFile(other.deviceIds[0]!, 'csv', 'time\n')).status).toBe(404)
    expect((await importFile(deviceId, 'csv', 'time\n', '')).status).toBe(401)
    expect((await importFile(deviceId, 'kml', 'time\n')).status).toBe(400)
    expect((await importFile(deviceId, 'csv', 'x'.repeat(MAX_BYTES + 1))).status).toBe(413)
  })

  it('runs imported (late) points through the rules: they raise the alert they would have live', async () => {
    const rule = await fleet.api.rules.create.mutate({
      kind: 'overspeed',
      threshold: 80,
      durationSec: 0,
      vehicleId: fleet.vehicleIds[4]!,
    })
    const t0 = START + 3_600_000
    const rows = Array.from({ length: 12 }, (_, i) => {
      const time = new Date(t0 + i * 1000).toISOString()
      return `${time},${52 + i * 1e-4},13,${i < 11 ? 90 : 50},true`
    })
    const answer = await importFile(
      fleet.deviceIds[4]!,
      'csv',
      `time,lat,lon,speed,ignition\n${rows.join('\n')}\n`,
    )
    expect(answer.summary).toMatchObject({ stored: 12, rejected: 0 })
    const closedAlert = async () =>
      (
        await fleet.api.alerts.list.query({ vehicleId: fleet.vehicleIds[4]!, limit: 10 })
      ).items.find((a) => a.ruleId === rule.id && a.endTime !== null)
    await waitUntil(async () => (await closedAlert()) !== undefined, {
      timeoutMs: 15_000,
      what: 'the overspeed alert of the imported points',
    })
    const alert = await closedAlert()
    expect(alert?.time.getTime()).toBe(t0)
    expect(alert?.value).toBe(90)
  })
})
