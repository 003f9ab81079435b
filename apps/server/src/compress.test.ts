import { request } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { type Fleet, provisionFleet } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMPRESS_MIN_BYTES } from './compress.ts'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

let server: RunningServer
let fleet: Fleet
let apiKey: string

beforeAll(async () => {
  server = await startTestServer()
  fleet = await provisionFleet(server.url, { vehicles: 8 })
  apiKey = (await fleet.api.apiKeys.create.mutate({ name: 'reader', scope: 'read' })).secret
})
afterAll(() => server?.close())

/** A raw GET, so the test sees the bytes on the wire (fetch would inflate them unseen). */
function get(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(`${server.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        )
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    },
  )
}

/** A month of daily summaries for eight vehicles: well over the threshold. */
const MONTH = `/trpc/reports.daily?input=${encodeURIComponent(
  JSON.stringify({ json: { from: '2025-01-01', to: '2025-01-31' } }),
)}`

describe('compressed API answers', () => {
  it('gzips a large tRPC answer when the client accepts it, the same JSON inflated', async () => {
    const auth = { authorization: `Bearer ${fleet.accessToken}` }
    const plain = await get(MONTH, auth)
    // What fetch sends over plain HTTP.
    const zipped = await get(MONTH, { ...auth, 'accept-encoding': 'gzip, deflate' })
    expect(plain.status).toBe(200)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.length).toBeGreaterThan(COMPRESS_MIN_BYTES)
    expect(zipped.status).toBe(200)
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.headers.vary).toMatch(/accept-encoding/i)
    expect(zipped.body.length).toBeLessThan(plain.body.length / 5)
    expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(JSON.parse(String(plain.body)))
    // What browsers send over HTTPS: brotli first.
    const brotli = await get(MONTH, { ...auth, 'accept-encoding': 'gzip, deflate, br, zstd' })
    expect(brotli.headers['content-encoding']).toBe('br')
    expect(JSON.parse(brotliDecompressSync(brotli.body).toString())).toEqual(
      JSON.parse(String(plain.body)),
    )
  })

  it('sends a small answer as it is', async () => {
    const me = await get('/trpc/auth.me', {
      authorization: `Bearer ${fleet.accessToken}`,
      'accept-encoding': 'gzip',
    })
    expect(me.status).toBe(200)
    expect(me.headers['content-encoding']).toBeUndefined()
    expect(JSON.parse(String(me.body)).result.data.json.email).toBe(fleet.email)
  })

  it('gzips a large REST answer, and the typed client reads it through fetch', async () => {
    const path = '/api/v1/reports/daily?from=2025-01-01&to=2025-01-31'
    const zipped = await get(path, { authorization: `Bearer ${apiKey}`, 'accept-encoding': 'gzip' })
    expect(zipped.status).toBe(200)
    expect(zipped.headers['content-encoding']).toBe('gzip')
    const viaFetch = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    })
    const body = (await viaFetch.json()) as { vehicles: unknown[] }
    expect(body.vehicles).toHaveLength(8)
    expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(body)
  })
})
