import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ZRegisterInput } from '@fms/api/schemas'
import { afterEach, describe, expect, it } from 'vitest'
import {
  buildRegisterRequest,
  classifyRegisterStatus,
  createAdmin,
} from '../docker/create-admin.mjs'

// The compose stack's one-shot job, against a stand-in server on loopback.

const INPUT = { email: 'admin@fleet.local', password: 'fms-demo-password', orgName: 'Demo fleet' }
let server: Server | undefined

afterEach(async () => {
  await new Promise((done) => server?.close(done) ?? done(undefined))
  server = undefined
})

async function startStandIn(registerStatus: number) {
  const requests: { method?: string; url?: string; body: string }[] = []
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, body })
      res.statusCode = req.url === '/readyz' ? 200 : registerStatus
      res.end('{}')
    })
  })
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, requests }
}

describe('create-admin job', () => {
  it('sends auth.register the input its schema accepts (superjson envelope)', () => {
    const { path, init } = buildRegisterRequest(INPUT)
    expect(path).toBe('/trpc/auth.register')
    expect(init.method).toBe('POST')
    const body = JSON.parse(init.body) as { json: unknown }
    expect(ZRegisterInput.parse(body.json)).toEqual(INPUT)
  })

  it('counts an existing account (409 CONFLICT) as done and anything but 200 else as a failure', () => {
    expect(classifyRegisterStatus(200)).toBe('created')
    expect(classifyRegisterStatus(409)).toBe('exists')
    expect(classifyRegisterStatus(400)).toBe('failed')
    expect(classifyRegisterStatus(503)).toBe('failed')
  })

  it('waits for /readyz, then registers the admin', async () => {
    const standIn = await startStandIn(200)
    const outcome = await createAdmin({
      FMS_URL: `${standIn.url}/`,
      FMS_ADMIN_EMAIL: INPUT.email,
      FMS_ADMIN_PASSWORD: INPUT.password,
    })
    expect(outcome).toBe('created')
    expect(standIn.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /readyz',
      'POST /trpc/auth.register',
    ])
    expect(JSON.parse(standIn.requests[1]!.body)).toEqual({ json: INPUT })
  })

  it('fails with the answer when registration is refused', async () => {
    const standIn = await startStandIn(400)
    await expect(
      createAdmin({
        FMS_URL: standIn.url,
        FMS_ADMIN_EMAIL: INPUT.email,
        FMS_ADMIN_PASSWORD: INPUT.password,
      }),
    ).rejects.toThrow(/registering admin@fleet.local failed: 400/)
  })

  it('refuses to run without an admin password', async () => {
    await expect(createAdmin({ FMS_ADMIN_EMAIL: INPUT.email })).rejects.toThrow(
      'FMS_ADMIN_PASSWORD is required',
    )
  })
})
