import { randomBytes } from 'node:crypto'
import { startTestIdp, type TestIdp } from '@fms/api/testing-oidc'
import { createTestDb } from '@fms/db/testing'
import { createApiClient } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SpawnedServer, spawnServer } from './testing/spawn-server.ts'
import { hashParam, SsoBrowser } from './testing/sso-browser.ts'

// Two server processes on one PostgreSQL: a single sign-on started on one node finishes on the
// other (the flow's state lives in the database, not in a node's memory), and only once.
let scratch: Awaited<ReturnType<typeof createTestDb>>
let idp: TestIdp
const nodes: SpawnedServer[] = []
const domain = `nodes-${Date.now()}.example`

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  for (let i = 0; i < 2; i++) {
    nodes.push(await spawnServer({ DATABASE_URL: scratch.url ?? '' }))
  }
  const [a] = nodes as [SpawnedServer]
  idp = await startTestIdp({ redirectUris: [`${a.url}/api/sso/callback`] })
  const registered = await createApiClient(a.url).auth.register.mutate({
    email: `owner@${domain}`,
    password: 'correct horse battery staple',
    orgName: 'Nodes SSO',
  })
  if (registered.status !== 'signed_in') throw new Error('expected a session')
  await createApiClient(a.url, registered.accessToken).sso.update.mutate({
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    domains: [domain],
  })
}, 90_000)

afterAll(async () => {
  for (const node of nodes) node.child.kill('SIGKILL')
  await Promise.all(nodes.map((node) => node.exited))
  await idp?.close()
  await scratch?.close()
})

describe('single sign-on on several nodes', () => {
  it('starts on one node, finishes on another, and the state works once across both', async () => {
    const [a, b] = nodes as [SpawnedServer, SpawnedServer]
    const email = `person@${domain}`
    idp.signInAs({ sub: 'nodes-subject', email, emailVerified: true })
    const browser = new SsoBrowser()
    const key = randomBytes(32).toString('base64url')
    const callback = new URL(
      await browser.follow(`${a.url}/api/sso/start?email=${email}&browser=${key}`, (next) =>
        next.includes('/api/sso/callback'),
      ),
    )
    // The load balancer sends the provider's redirect to the other node.
    const onB = `${b.url}${callback.pathname}${callback.search}`
    const landed = await browser.follow(onB)
    const code = hashParam(landed, 'code')
    expect(code).toBeTruthy()
    const session = await createApiClient(a.url).auth.ssoExchange.mutate({
      code: code ?? '',
      browser: key,
    })
    expect(session.user.email).toBe(email)
    // The same callback again, on either node: the state is gone.
    const onA = `${a.url}${callback.pathname}${callback.search}`
    expect(hashParam(await browser.follow(onA), 'sso_error')).toBe('expired')
    expect(hashParam(await browser.follow(onB), 'sso_error')).toBe('expired')
  })
})
