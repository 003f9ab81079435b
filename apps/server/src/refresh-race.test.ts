import { randomUUID } from 'node:crypto'
import type { AppRouter } from '@fms/api'
import { createTestDb, type TestDbHandle } from '@fms/db/testing'
import { type ApiClient, createApiClient, requireSignedIn } from '@fms/testkit'
import { TRPCClientError } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from './server.ts'
import { startTestServer } from './testing/server.ts'

// A refresh token rotates once: a logout racing a refresh ends the whole session, and of many
// refreshes with one token at most one succeeds, after which the family is dead (reuse is theft).
// Every refusal is a 401, never a 500 (a deadlock between the racing transactions). On PostgreSQL
// the transactions really run side by side; the embedded PGlite interleaves only statements.
const PASSWORD = 'correct horse battery'
const LOGOUT_RACES = 15
const REFRESH_ROUNDS = 10
const CONCURRENT_REFRESHES = 8

type Outcome = { ok: true; refreshToken: string } | { ok: false; code: string | undefined }

async function refreshOutcome(api: ApiClient, refreshToken: string): Promise<Outcome> {
  try {
    const session = await api.auth.refresh.mutate({ refreshToken })
    return { ok: true, refreshToken: session.refreshToken }
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error
    return { ok: false, code: (error as TRPCClientError<AppRouter>).data?.code }
  }
}

/** Whether a refresh token still works, trying the newest first: a reused one kills the rest. */
async function workingTokens(api: ApiClient, newestFirst: string[]): Promise<string[]> {
  const working: string[] = []
  for (const token of newestFirst) {
    const outcome = await refreshOutcome(api, token)
    if (outcome.ok) working.push(token)
    else expect(outcome.code).toBe('UNAUTHORIZED')
  }
  return working
}

const KINDS = ['postgres', 'pglite'] as const
let scratch: TestDbHandle
const servers = new Map<(typeof KINDS)[number], RunningServer>()

beforeAll(async () => {
  scratch = await createTestDb('postgres')
  // Both at once: the embedded database takes seconds to start.
  const [postgres, pglite] = await Promise.all([
    startTestServer({ DATABASE_URL: scratch.url! }),
    startTestServer(),
  ])
  servers.set('postgres', postgres).set('pglite', pglite)
})
afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.close()))
  await scratch?.close()
})

describe.each(KINDS)('refresh tokens on %s', (kind) => {
  let api: ApiClient
  let admin: ApiClient
  let email: string

  beforeAll(async () => {
    api = createApiClient(servers.get(kind)!.url)
    email = `refresh-${randomUUID()}@example.com`
    const session = requireSignedIn(
      await api.auth.register.mutate({ email, password: PASSWORD, orgName: 'Refresh Race' }),
    )
    admin = createApiClient(servers.get(kind)!.url, session.accessToken)
  })

  it('leaves no working refresh token when a password change races a refresh', async () => {
    const userEmail = `member-${randomUUID()}@example.com`
    const user = await admin.users.create.mutate({
      email: userEmail,
      password: PASSWORD,
      role: 'user',
    })
    const survivors: string[] = []
    for (let i = 0; i < LOGOUT_RACES; i++) {
      const password = i % 2 === 0 ? PASSWORD : `${PASSWORD} again`
      const next = i % 2 === 0 ? `${PASSWORD} again` : PASSWORD
      const original = requireSignedIn(
        await api.auth.login.mutate({ email: userEmail, password }),
      ).refreshToken
      const [refreshed] = await Promise.all([
        refreshOutcome(api, original),
        admin.users.update.mutate({ id: user.id, password: next }),
      ])
      const issued = refreshed.ok ? [refreshed.refreshToken] : []
      survivors.push(...(await workingTokens(api, [...issued, original])))
    }
    expect(survivors).toEqual([])
  })

  async function freshRefreshToken(): Promise<string> {
    return requireSignedIn(await api.auth.login.mutate({ email, password: PASSWORD })).refreshToken
  }

  it('leaves no working refresh token when a logout races a refresh', async () => {
    const survivors: string[] = []
    for (let i = 0; i < LOGOUT_RACES; i++) {
      const original = await freshRefreshToken()
      // Alternate which call leaves first, so both orders of arrival are covered.
      const [refreshed] =
        i % 2 === 0
          ? await Promise.all([
              refreshOutcome(api, original),
              api.auth.logout.mutate({ refreshToken: original }),
            ])
          : await Promise.all([
              api.auth.logout.mutate({ refreshToken: original }),
              refreshOutcome(api, original),
            ]).then(([, outcome]) => [outcome] as const)
      if (!refreshed.ok) expect(refreshed.code).toBe('UNAUTHORIZED')
      const issued = refreshed.ok ? [refreshed.refreshToken] : []
      survivors.push(...(await workingTokens(api, [...issued, original])))
    }
    expect(survivors).toEqual([])
  })

  it('lets at most one of concurrent refreshes with one token succeed, then refuses the whole family', async () => {
    for (let round = 0; round < REFRESH_ROUNDS; round++) {
      const original = await freshRefreshToken()
      const outcomes = await Promise.all(
        Array.from({ length: CONCURRENT_REFRESHES }, () => refreshOutcome(api, original)),
      )
      const issued = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.refreshToken] : []))
      expect(issued.length).toBeLessThanOrEqual(1)
      for (const outcome of outcomes) {
        if (!outcome.ok) expect(outcome.code).toBe('UNAUTHORIZED')
      }
      expect(await workingTokens(api, [...issued, original])).toEqual([])
    }
  })

  it('answers 401 to a refresh after logout', async () => {
    const refreshToken = await freshRefreshToken()
    await api.auth.logout.mutate({ refreshToken })
    const error = await api.auth.refresh.mutate({ refreshToken }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TRPCClientError)
    expect((error as TRPCClientError<AppRouter>).data?.httpStatus).toBe(401)
  })
})
