import { request } from 'node:http'
import { HISTORY_EXPORT_PAGE_POINTS } from '@fms/api'
import { type Fleet, postTelemetry, provisionFleet } from '@fms/testkit'
import { SaxesParser } from 'saxes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../server.ts'
import { startTestServer } from '../testing/server.ts'

let server: RunningServer
let fleet: Fleet
let other: Fleet
const HOSTILE = `</desc><script>alert("x")</script> & 'quoted' ]]>`
const FORMULA = '=HYPERLINK("http://evil")'
/** More points than two pages, so the export is written in several. */
const POINT_COUNT = 2 * HISTORY_EXPORT_PAGE_POINTS + 123
const START = Date.now() - 2 * 86_400_000
const FROM = new Date(START - 60_000).toISOString()
const TO = new Date(START + POINT_COUNT * 1000 + 60_000).toISOString()

beforeAll(async () => {
  server = await startTestServer({ INGEST_RATE_LIMIT: '0' })
  fleet = await provisionFleet(server.url)
  other = await provisionFleet(server.url, { orgName: 'Other' })
  await fleet.api.vehicles.update.mutate({ id: fleet.vehicle.id, description: HOSTILE })
  for (let i = 0; i < POINT_COUNT; i += 5_000) {
    const body = Array.from({ length: Math.min(5_000, POINT_COUNT - i) }, (_, k) => ({
      device_id: fleet.deviceIds[0],
      time: START + (i + k) * 1000,
      lat: 52.5 + (i + k) * 1e-5,
      lon: 13.4,
      speed: 36,
      altitude: 34.5,
      heading: 90,
      status: i + k === 0 ? FORMULA : 'ok',
    }))
    const answer = await postTelemetry(server.url, { token: fleet.token.secret, body })
    expect(answer.status).toBe(200)
  }
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

const exportPath = (format: string, vehicleId = fleet.vehicle.id, range = { from: FROM, to: TO }) =>
  `/api/vehicles/${vehicleId}/history.${format}?${new URLSearchParams(range)}`

/** Parses XML strictly (throws on anything not well-formed): each element's name and text. */
function parseXml(xml: string) {
  const parser = new SaxesParser({ xmlns: true })
  const elements: { name: string; attributes: Record<string, string>; text: string }[] = []
  const open: { name: string; attributes: Record<string, string>; text: string }[] = []
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {}
    for (const [name, attribute] of Object.entries(tag.attributes)) {
      attributes[name] = typeof attribute === 'string' ? attribute : attribute.value
    }
    open.push({ name: tag.name, attributes, text: '' })
  })
  parser.on('text', (text) => {
    const top = open.at(-1)
    if (top) top.text += text
  })
  parser.on('closetag', () => {
    const done = open.pop()
    if (done) elements.push(done)
  })
  parser.write(xml).close()
  return elements
}

describe('GET /api/vehicles/<id>/history.<format>', () => {
  it('streams every point as well-formed GPX with the hostile description as text', async () => {
    const answer = await get(exportPath('gpx'), fleet.accessToken, 200)
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('application/gpx+xml; charset=utf-8')
    expect(answer.headers['content-disposition']).toMatch(
      /^attachment; filename="fms-V-1-.*\.gpx"$/,
    )
    const elements = parseXml(answer.body)
    const points = elements.filter((e) => e.name === 'trkpt')
    expect(points).toHaveLength(POINT_COUNT)
    expect(points[0]?.attributes).toEqual({ lat: '52.5', lon: '13.4' })
    expect(elements.find((e) => e.name === 'desc')?.text).toBe(HOSTILE)
    expect(elements.some((e) => e.name === 'script')).toBe(false)
    const times = elements.filter((e) => e.name === 'time').map((e) => Date.parse(e.text))
    expect(times[0]).toBe(START)
    expect(times.at(-1)).toBe(START + (POINT_COUNT - 1) * 1000)
    expect(elements.find((e) => e.name === 'fms:speed')?.text).toBe('10')
    expect(elements.find((e) => e.name === 'ele')?.text).toBe('34.5')
  })

  it('streams well-formed KML with a time per coordinate', async () => {
    const answer = await get(exportPath('kml'), fleet.accessToken)
    expect(answer.status).toBe(200)
    const elements = parseXml(answer.body)
    expect(elements.filter((e) => e.name === 'when')).toHaveLength(POINT_COUNT)
    const coords = elements.filter((e) => e.name === 'gx:coord')
    expect(coords[0]?.text).toBe('13.4 52.5 34.5')
    expect(elements.find((e) => e.name === 'description')?.text).toBe(HOSTILE)
  })

  it('streams CSV with formula-looking text quoted', async () => {
    const answer = await get(exportPath('csv'), fleet.accessToken)
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8')
    const lines = answer.body.trimEnd().split('\r\n')
    expect(lines).toHaveLength(POINT_COUNT + 1)
    expect(lines[0]).toMatch(/^time,lat,lon,speed,heading,altitude,/)
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(lines[1]).not.toMatch(/,=/)
  })

  it('answers 401 without a token and 404 for another organization', async () => {
    expect((await get(exportPath('gpx'))).status).toBe(401)
    const foreign = await get(exportPath('gpx'), other.accessToken)
    expect(foreign.status).toBe(404)
    expect(foreign.body).not.toContain('trkpt')
  })

  it('answers 400 naming the field for an unknown format or a reversed range', async () => {
    const format = await get(exportPath('shp'), fleet.accessToken)
    expect(format.status).toBe(400)
    expect(JSON.parse(format.body).fieldErrors.format).toBeDefined()
    const reversed = await get(
      exportPath('csv', fleet.vehicle.id, { from: TO, to: FROM }),
      fleet.accessToken,
    )
    expect(reversed.status).toBe(400)
    expect(JSON.parse(reversed.body).fieldErrors.to).toEqual(['from must be before to'])
  })
})
