import { hashOpaqueToken } from '@fms/auth'
import { eq } from '@fms/db'
import { auditLog } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { createCaller } from '../root.ts'
import { createTestApi, expectTRPCError, makeVin, type TestApi } from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

async function rowsOfOrg(orgId: string) {
  return api.deps.db.select().from(auditLog).where(eq(auditLog.orgId, orgId))
}

async function allRows() {
  return api.deps.db.select().from(auditLog)
}

let codeCounter = 0
function vehicleInput(overrides: Record<string, unknown> = {}) {
  return { code: `A${++codeCounter}`, vin: makeVin(), ...overrides }
}

describe('audit log', () => {
  it('records a create, an update and a remove with who, where, what and the changed fields', async () => {
    const { session } = await api.registerOrg()
    const caller = createCaller(
      createInnerContext(api.deps, {
        accessToken: session.accessToken,
        clientIp: '203.0.113.7',
        userAgent: 'AuditTest/1.0',
      }),
    )
    const created = await caller.vehicles.create(vehicleInput({ plate: 'AB-100' }))
    await caller.vehicles.update({ id: created.id, plate: 'AB-200' })
    await caller.vehicles.remove({ id: created.id })

    const { items } = await caller.audit.list({ objectType: 'vehicles', objectId: created.id })
    expect(items.map((row) => row.action)).toEqual([
      'vehicles.remove',
      'vehicles.update',
      'vehicles.create',
    ])
    for (const row of items) {
      expect(row).toMatchObject({
        actorType: 'user',
        actorId: session.user.id,
        actorEmail: session.user.email,
        outcome: 'ok',
        errorCode: null,
        objectType: 'vehicles',
        objectId: created.id,
        clientIp: '203.0.113.7',
        userAgent: 'AuditTest/1.0',
      })
    }
    const [removed, updated, createdRow] = items
    expect(updated?.changes).toEqual({ plate: { before: 'AB-100', after: 'AB-200' } })
    expect(createdRow?.changes?.plate).toEqual({ before: null, after: 'AB-100' })
    expect(createdRow?.changes?.code).toEqual({ before: null, after: created.code })
    expect(removed?.changes?.plate).toEqual({ before: 'AB-200', after: null })
  })

  it('records a failed mutation with its error code and no diff', async () => {
    const { caller, session } = await api.registerOrg()
    const missing = '00000000-0000-4000-8000-000000000000'
    await expectTRPCError(caller.vehicles.update({ id: missing, plate: 'X' }), 'NOT_FOUND')
    const { items } = await caller.audit.list({ action: 'vehicles.update' })
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      actorId: session.user.id,
      outcome: 'error',
      errorCode: 'NOT_FOUND',
      objectId: missing,
      changes: null,
    })
  })

  it('records a user-role caller refused an admin mutation, naming them', async () => {
    const admin = await api.registerOrg()
    const member = await api.addUser(admin.caller)
    await expectTRPCError(member.caller.vehicles.create(vehicleInput()), 'FORBIDDEN')
    const { items } = await admin.caller.audit.list({
      actorId: member.user.id,
      action: 'vehicles.create',
    })
    expect(items).toEqual([
      expect.objectContaining({
        action: 'vehicles.create',
        outcome: 'error',
        errorCode: 'FORBIDDEN',
        actorEmail: member.email,
        changes: null,
      }),
    ])
  })

  it('records sign-ins and failed sign-ins in the account organization', async () => {
    const admin = await api.registerOrg()
    const anonymous = createCaller(createInnerContext(api.deps, { clientIp: '198.51.100.9' }))
    await expectTRPCError(
      anonymous.auth.login({ email: admin.email, password: 'wrong password' }),
      'UNAUTHORIZED',
    )
    await anonymous.auth.login({ email: admin.email, password: 'correct horse' })
    const { items } = await admin.caller.audit.list({ action: 'auth.login' })
    expect(items).toMatchObject([
      {
        outcome: 'ok',
        actorType: 'user',
        actorId: admin.session.user.id,
        objectType: 'user',
        objectId: admin.session.user.id,
        clientIp: '198.51.100.9',
      },
      {
        outcome: 'error',
        errorCode: 'UNAUTHORIZED',
        actorType: 'anonymous',
        actorId: null,
        actorEmail: admin.email,
        objectId: admin.session.user.id,
        clientIp: '198.51.100.9',
        changes: null,
      },
    ])
  })

  it('keeps a sign-in with an unknown email out of every organization', async () => {
    const email = `nobody-${Date.now()}@example.com`
    await expectTRPCError(
      api.anonymous('192.0.2.44').auth.login({ email, password: 'whatever1' }),
      'UNAUTHORIZED',
    )
    const rows = (await allRows()).filter((row) => row.actorEmail === email)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ orgId: null, action: 'auth.login', outcome: 'error' })
  })

  it('never records a password, secret, hash or token in any row', async () => {
    const { caller, session } = await api.registerOrg()
    const secrets: string[] = ['correct horse', session.accessToken, session.refreshToken]
    const token = await caller.tokens.create({ title: 'Gateway', description: 'rack' })
    secrets.push(token.secret, hashOpaqueToken(token.secret), token.secret.slice(13))
    const rotated = await caller.tokens.rotate({ id: token.id })
    secrets.push(rotated.secret, hashOpaqueToken(rotated.secret))
    await caller.tokens.revoke({ id: token.id })
    const member = await caller.users.create({
      email: `m${Date.now()}@example.com`,
      password: 'member password 1',
      role: 'user',
    })
    secrets.push('member password 1')
    await caller.users.update({ id: member.id, password: 'member password 2' })
    secrets.push('member password 2')
    // A token pasted into a free-text field is redacted too.
    await caller.vehicles.create(vehicleInput({ description: `note ${token.secret}` }))
    // Last: signing out ends the session, and with it the caller's access token.
    const refreshed = await api.anonymous().auth.refresh({ refreshToken: session.refreshToken })
    secrets.push(refreshed.accessToken, refreshed.refreshToken)
    await api.anonymous().auth.logout({ refreshToken: refreshed.refreshToken })

    const rows = await allRows()
    expect(rows.length).toBeGreaterThan(5)
    for (const row of rows) {
      const json = JSON.stringify(row)
      for (const secret of secrets) expect(json).not.toContain(secret)
      expect(json).not.toMatch(/\$argon2|\$scrypt/)
    }
    const rotation = (await rowsOfOrg(session.user.orgId)).find(
      (row) => row.action === 'tokens.rotate',
    )
    expect(rotation?.changes).toMatchObject({ prefix: { after: rotated.prefix } })
    expect(rotation?.changes).not.toHaveProperty('tokenHash')
  })

  it('pages newest first without gaps or repeats and narrows by time range', async () => {
    const { caller } = await api.registerOrg()
    const created = []
    for (let i = 0; i < 7; i++) created.push(await caller.vehicles.create(vehicleInput()))
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await caller.audit.list({ action: 'vehicles.create', limit: 3, cursor })
      seen.push(...page.items.map((row) => row.objectId ?? ''))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(created.map((v) => v.id).reverse())

    const all = await caller.audit.list({ action: 'vehicles.create' })
    const middle = all.items[3]?.at
    if (!middle) throw new Error('expected seven rows')
    const older = await caller.audit.list({ action: 'vehicles.create', to: middle })
    expect(older.items.every((row) => row.at < middle)).toBe(true)
    const newer = await caller.audit.list({ action: 'vehicles.create', from: middle })
    expect(newer.items.length + older.items.length).toBe(7)
    await expectTRPCError(caller.audit.list({ cursor: 'not-a-cursor' }), 'BAD_REQUEST')
    await expectTRPCError(caller.audit.list({ from: middle, to: middle }), 'BAD_REQUEST')
  })

  it('is for admins only and shows only the caller organization', async () => {
    const first = await api.registerOrg()
    const second = await api.registerOrg()
    const vehicle = await first.caller.vehicles.create(vehicleInput())
    const member = await api.addUser(second.caller)
    await expectTRPCError(api.anonymous().audit.list({}), 'UNAUTHORIZED')
    await expectTRPCError(member.caller.audit.list({}), 'FORBIDDEN')
    await expectTRPCError(member.caller.audit.csv({}), 'FORBIDDEN')
    const theirs = await second.caller.audit.list({ objectId: vehicle.id })
    expect(theirs.items).toEqual([])
    const all = await second.caller.audit.list({ limit: 100 })
    expect(all.items.every((row) => row.actorId !== first.session.user.id)).toBe(true)
    expect(all.items.length).toBeGreaterThan(0)
  })

  it('exports CSV with formula text neutralized', async () => {
    const { session } = await api.registerOrg()
    const caller = createCaller(
      createInnerContext(api.deps, {
        accessToken: session.accessToken,
        userAgent: '=HYPERLINK("http://evil.example","x")',
      }),
    )
    await caller.vehicles.create(vehicleInput({ description: '@SUM(1+1)' }))
    const { csv, filename, rowCount, isTruncated } = await caller.audit.csv({
      action: 'vehicles.create',
    })
    expect(filename).toMatch(/^fms-audit-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(rowCount).toBe(1)
    expect(isTruncated).toBe(false)
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^time,actor_type,actor_id,actor_email,action/)
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`)
    expect(lines[1]).not.toMatch(/,=|,"=/)
  })
})
