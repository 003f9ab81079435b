import { createApiClient, readErrorCode, requireSignedIn, TEST_PASSWORD } from '@fms/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

let server: RunningServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server?.close())

// Over the network: an admin of an organization that requires two-factor sign-in, signed in by
// password without it, reaches only what sets it up, on tRPC and on the raw token endpoints.
describe('two-factor sign-in required for admins, over HTTP', () => {
  it('refuses the fleet and the CSV endpoints until it is set up', async () => {
    const email = `policy-${Date.now()}@example.com`
    const owner = requireSignedIn(
      await createApiClient(server.url).auth.register.mutate({
        email,
        password: TEST_PASSWORD,
        orgName: 'Policy Co',
      }),
    )
    await createApiClient(server.url, owner.accessToken).auth.twoFactor.setPolicy.mutate({
      requireForAdmins: true,
    })
    const session = requireSignedIn(
      await createApiClient(server.url).auth.login.mutate({ email, password: TEST_PASSWORD }),
    )
    const client = createApiClient(server.url, session.accessToken)
    expect(readErrorCode(await client.vehicles.list.query().catch((e) => e))).toBe('FORBIDDEN')
    expect((await client.auth.me.query()).email).toBe(email)
    const day = new Date().toISOString().slice(0, 10)
    const csv = await fetch(`${server.url}/api/reports/daily.csv?from=${day}&to=${day}`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    })
    expect(csv.status).toBe(403)
    expect(await csv.json()).toEqual({ error: expect.stringMatching(/two-factor/) })
  })
})
