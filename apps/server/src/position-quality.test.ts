import { type Fleet, postTelemetry, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'
import { waitUntil } from './testing/wait.ts'

// A crafted 1 Hz drive through the real server over the network: a frozen receiver, a lone
// outlier and invalid fixes (one of them an OsmAnd valid=false) must not cost or add distance,
// must raise no alert, and must be flagged where users read the stored points.

const IMEI = '865123045670016'
// Yesterday 10:00 UTC: a whole past day for the daily report.
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)
const T0 = Date.parse(`${DAY}T10:00:00Z`)
const SECONDS = 1200
const KMH = 48.3
const KM_PER_DEG_LAT = 111.19492664455873
const EARTH_RADIUS_M = 6_371_000

/** One fix a second, north-east from Berlin at KMH: where the vehicle really was. */
const TRUTH = Array.from({ length: SECONDS }, (_, s) => {
  const km = (KMH / 3600) * s * Math.SQRT1_2
  const lat = 52.5 + km / KM_PER_DEG_LAT
  return { lat, lon: 13.4 + km / (KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)) }
})
const FREEZE = { from: 300, to: 335 } // fixes 301..334 repeat fix 300; 335 catches up 470 m
const OUTLIER = 600
const OSMAND_INVALID = 900
const ZERO_FIX = 950
const IMPRECISE = 1000
/** 5 km north of the road at the outlier. */
const STRAY = { lat: TRUTH[OUTLIER]!.lat + 0.045, lon: TRUTH[OUTLIER]!.lon }

function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  const toRad = Math.PI / 180
  const h =
    Math.sin(((b.lat - a.lat) * toRad) / 2) ** 2 +
    Math.cos(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.sin(((b.lon - a.lon) * toRad) / 2) ** 2
  return (2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h))) / 1000
}

const TRUE_KM = TRUTH.slice(1).reduce((km, p, i) => km + haversineKm(TRUTH[i]!, p), 0)

/** What the device sent (no speed: it is derived from the positions), by second. */
function sentFix(s: number): Record<string, unknown> {
  const truth = TRUTH[s]!
  if (s > FREEZE.from && s < FREEZE.to) return TRUTH[FREEZE.from]!
  if (s === OUTLIER) return STRAY
  if (s === ZERO_FIX) return { lat: 0, lon: 0 }
  if (s === IMPRECISE) return { lat: truth.lat + 0.003, lon: truth.lon, accuracy: 350 }
  return truth
}

let server: RunningServer
let fleet: Fleet

beforeAll(async () => {
  server = await startTestServer({
    INGEST_RATE_LIMIT: '0',
    ACTIVITY_REFRESH_SEC: '1',
    ALERTS_RULE_CACHE_SEC: '0',
    DEVICE_TOKEN_CACHE_SEC: '0',
  })
  fleet = await provisionFleet(server.url)
  await fleet.api.devices.update.mutate({ id: fleet.deviceIds[0]!, externalId: IMEI })
  await fleet.api.geofences.create.mutate({
    name: 'Stray',
    shape: { type: 'circle', ...STRAY, radiusM: 1000 },
  })
  await fleet.api.geofences.create.mutate({
    name: 'Destination',
    shape: { type: 'circle', ...TRUTH[1150]!, radiusM: 100 },
  })
  await fleet.api.rules.create.mutate({ kind: 'geofence_enter' })
  await fleet.api.rules.create.mutate({ kind: 'overspeed', threshold: 100, durationSec: 0 })
  await sendDrive()
})
afterAll(() => server?.close())

async function postJson(seconds: number[]) {
  const body = seconds.map((s) => ({
    device_id: fleet.deviceIds[0],
    time: new Date(T0 + s * 1000).toISOString(),
    ignition: true,
    ...sentFix(s),
  }))
  const answer = await postTelemetry(server.url, { token: fleet.token.secret, body })
  expect(answer.status).toBe(200)
  expect(answer.body).toMatchObject({ accepted: seconds.length, rejected: [] })
}

/** The drive in pages of 200, the OsmAnd fix (5 km off, valid=false) before the last page. */
async function sendDrive() {
  const json = TRUTH.map((_, s) => s).filter((s) => s !== OSMAND_INVALID)
  for (let i = 0; i < json.length; i += 200) {
    if (i + 200 >= json.length) {
      const query = new URLSearchParams({
        id: IMEI,
        timestamp: String((T0 + OSMAND_INVALID * 1000) / 1000),
        lat: String(STRAY.lat),
        lon: String(STRAY.lon),
        valid: 'false',
        accuracy: '8',
      })
      const url = `${server.url}/osmand/${fleet.token.secret}?${query}`
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
      expect(res.status).toBe(200)
    }
    await postJson(json.slice(i, i + 200))
  }
}

function expectWithinOnePercent(km: number) {
  expect(Math.abs(km - TRUE_KM) / TRUE_KM).toBeLessThan(0.01)
}

describe('position quality over the network', () => {
  it('measures the trip within 1 % of the true length', async () => {
    const { trips } = await fleet.api.reports.trips.query({
      vehicleId: fleet.vehicleIds[0],
      from: new Date(T0 - 3_600_000),
      to: new Date(T0 + 3_600_000),
    })
    expect(trips).toHaveLength(1)
    expectWithinOnePercent(trips[0]!.distanceKm)
    expect(trips[0]!.maxSpeed).toBeLessThan(KMH + 1)
  })

  it('measures the daily distance within 1 % of the true length', async () => {
    const daily = () =>
      fleet.api.reports.daily.query({ vehicleId: fleet.vehicleIds[0], from: DAY, to: DAY })
    await waitUntil(async () => (await daily()).isUpToDate, {
      timeoutMs: 15_000,
      what: 'the activity buckets',
    })
    const [day] = (await daily()).vehicles[0]!.days
    expect(day!.pointCount).toBe(SECONDS)
    expectWithinOnePercent(day!.distanceKm)
    expect(day!.maxSpeed).toBeLessThan(KMH + 1)
  })

  it('raises no geofence or overspeed alert for the flagged fixes', async () => {
    const list = async () =>
      (await fleet.api.alerts.list.query({ order: 'asc', limit: 100 })).items.map((a) => a.message)
    await waitUntil(async () => (await list()).includes('Entered geofence Destination'), {
      timeoutMs: 15_000,
      what: 'the alert at the end of the drive',
    })
    expect(await list()).toEqual(['Entered geofence Destination'])
  })

  it('stores the flagged points as sent, and telemetry.points says which they are', async () => {
    const { points, nextCursor } = await fleet.api.telemetry.points.query({
      vehicleId: fleet.vehicleIds[0]!,
      from: new Date(T0),
      to: new Date(T0 + SECONDS * 1000),
      limit: 5000,
    })
    expect(nextCursor).toBeNull()
    expect(points).toHaveLength(SECONDS)
    const flagged = points.flatMap((p, s) => (p.quality === 'ok' ? [] : [[s, p.quality]]))
    expect(flagged).toEqual([
      [OUTLIER, 'outlier'],
      [OSMAND_INVALID, 'invalid'],
      [ZERO_FIX, 'invalid'],
      [IMPRECISE, 'invalid'],
    ])
    expect(points[OUTLIER]).toMatchObject(STRAY)
    expect(points[OSMAND_INVALID]).toMatchObject({ ...STRAY, valid: false, accuracy: 8 })
    expect(points[IMPRECISE]!.accuracy).toBe(350)
  })
})
