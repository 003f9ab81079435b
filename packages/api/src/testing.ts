import { createJwtService, deriveSecretKey } from '@fms/auth'
import type { DbHandle } from '@fms/db'
import { createTestDb } from '@fms/db/testing'
import { InProcessLiveBus, LiveHub } from '@fms/live'
import { TRPCError } from '@trpc/server'
import { expect } from 'vitest'
import { type ApiDeps, createInnerContext } from './context.ts'
import { MemoryAttemptLimiter } from './rate-limit.ts'
import { createCaller } from './root.ts'

export type Caller = ReturnType<typeof createCaller>

/** A test API over a scratch database of this run's kind, with callers for any identity. */
export async function createTestApi() {
  const handle: DbHandle = await createTestDb()
  const deps: ApiDeps = {
    db: handle.db,
    jwt: createJwtService({ secret: 'test-secret-'.padEnd(48, 'x') }),
    authLimiter: new MemoryAttemptLimiter(),
    authLimits: { loginPerAccount: 5, registerPerAddress: 10_000 },
    refreshTokenTtlSec: 3600,
    live: new LiveHub(new InProcessLiveBus(), { flushMs: 20 }),
    shareLinkKey: 'test-share-key-'.padEnd(48, 'x'),
    secretKey: deriveSecretKey('test-secret-'.padEnd(48, 'x'), 'database-secrets'),
    ssoKey: deriveSecretKey('test-secret-'.padEnd(48, 'x'), 'sso-client-secrets'),
    // The test identity provider listens on 127.0.0.1.
    ssoAllowPrivateIssuers: true,
  }
  let counter = 0

  const anonymous = (clientIp = '127.0.0.1') => createCaller(createInnerContext(deps, { clientIp }))
  const withToken = (accessToken: string) => createCaller(createInnerContext(deps, { accessToken }))
  /** A caller as the REST API makes one: the bearer may be an integrator API key. */
  const withApiKey = (accessToken: string) =>
    createCaller(createInnerContext(deps, { accessToken, acceptsApiKeys: true }))

  /** Registers a new organization; returns its admin's caller and session. */
  async function registerOrg(name = `Org ${++counter}`) {
    const email = `admin${++counter}-${Date.now()}@example.com`
    const session = requireSignedIn(
      await anonymous().auth.register({ email, password: 'correct horse', orgName: name }),
    )
    return { session, email, caller: withToken(session.accessToken) }
  }

  /** Adds a user with the given role to the admin's organization and signs them in. */
  async function addUser(admin: Caller, role: 'admin' | 'user' = 'user') {
    const email = `user${++counter}-${Date.now()}@example.com`
    const user = await admin.users.create({ email, password: 'correct horse', role })
    const session = requireSignedIn(
      await anonymous().auth.login({ email, password: 'correct horse' }),
    )
    return { user, session, email, caller: withToken(session.accessToken) }
  }

  return {
    handle,
    deps,
    anonymous,
    withToken,
    withApiKey,
    registerOrg,
    addUser,
    close: async () => {
      await deps.live.close()
      await handle.close()
    },
  }
}

export type TestApi = Awaited<ReturnType<typeof createTestApi>>

/** The session of a sign-up that signed in at once (email off); throws when a link was sent. */
export function requireSignedIn<T extends { status: string }>(
  result: T,
): Extract<T, { status: 'signed_in' }> {
  if (result.status !== 'signed_in') {
    throw new Error(`expected a session from auth.register, got ${result.status}`)
  }
  return result as Extract<T, { status: 'signed_in' }>
}

/** Asserts that a call fails with the given tRPC code. */
export async function expectTRPCError(promise: Promise<unknown>, code: TRPCError['code']) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error, `expected ${code}`).toBeInstanceOf(TRPCError)
  expect((error as TRPCError).code).toBe(code)
  return error as TRPCError
}

let vinCounter = 0
/** A valid, unique-per-run VIN. */
export function makeVin(): string {
  vinCounter++
  return `1HGCM8263${String(vinCounter).padStart(8, '0')}`
}
