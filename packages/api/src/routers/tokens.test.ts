import { hashOpaqueToken, verifyDeviceToken } from '@fms/auth'
import { eq } from '@fms/db'
import { apiTokens } from '@fms/db/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApi, expectTRPCError, type TestApi } from '../testing.ts'

let api: TestApi

beforeAll(async () => {
  api = await createTestApi()
})
afterAll(() => api?.close())

async function tokenRow(id: string) {
  const [row] = await api.deps.db.select().from(apiTokens).where(eq(apiTokens.id, id))
  return row ?? null
}

/** Fails when an output carries the secret, its digest, or a field named for either. */
function expectNoSecrets(output: unknown, secret: string) {
  const json = JSON.stringify(output)
  expect(json).not.toContain(secret)
  expect(json).not.toContain(secret.slice(13))
  expect(json).not.toContain(hashOpaqueToken(secret))
  expect(json).not.toMatch(/"secret"|"tokenHash"/)
}

describe('tokens', () => {
  it('shows the secret once at creation, formatted fmd_<prefix>_<secret>', async () => {
    const { caller, session } = await api.registerOrg()
    const created = await caller.tokens.create({ title: 'Fleet gateway', description: 'Rack 4' })
    expect(created).toMatchObject({
      orgId: session.user.orgId,
      title: 'Fleet gateway',
      description: 'Rack 4',
      createdBy: session.user.id,
      revokedAt: null,
      lastUsedAt: null,
    })
    expect(created.secret).toMatch(/^fmd_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/)
    expect(created.secret.slice(4, 12)).toBe(created.prefix)
    expect(created).not.toHaveProperty('tokenHash')
  })

  it('stores only the SHA-256 digest of the secret', async () => {
    const { caller } = await api.registerOrg()
    const { id, secret } = await caller.tokens.create({ title: 'Digest' })
    const row = await tokenRow(id)
    expect(row?.tokenHash).toBe(hashOpaqueToken(secret))
    expect(verifyDeviceToken(secret, row?.tokenHash ?? '')).toBe(true)
    expect(JSON.stringify(row)).not.toContain(secret.slice(13))
  })

  it('never returns the secret or its digest from list, update or revoke', async () => {
    const { caller } = await api.registerOrg()
    const { id, secret } = await caller.tokens.create({ title: 'Scan me' })
    expectNoSecrets(await caller.tokens.list({}), secret)
    expectNoSecrets(await caller.tokens.update({ id, title: 'Scanned' }), secret)
    expectNoSecrets(await caller.tokens.revoke({ id }), secret)
    expectNoSecrets(await caller.tokens.list({ includeRevoked: true }), secret)
  })

  it('updates the title and clears the description', async () => {
    const { caller } = await api.registerOrg()
    const created = await caller.tokens.create({ title: 'Before', description: 'Note' })
    const updated = await caller.tokens.update({ id: created.id, title: 'After', description: '' })
    expect(updated).toMatchObject({ id: created.id, title: 'After', description: null })
    expect(await tokenRow(created.id)).toMatchObject({ title: 'After', description: null })
  })

  it('revokes a token and hides it from the list unless revoked ones are asked for', async () => {
    const { caller } = await api.registerOrg()
    const kept = await caller.tokens.create({ title: 'Kept' })
    const gone = await caller.tokens.create({ title: 'Gone' })
    const revoked = await caller.tokens.revoke({ id: gone.id })
    expect(revoked.revokedAt).toBeInstanceOf(Date)
    expect((await tokenRow(gone.id))?.revokedAt).toEqual(revoked.revokedAt)

    expect((await caller.tokens.list({})).items.map((t) => t.id)).toEqual([kept.id])
    const all = await caller.tokens.list({ includeRevoked: true })
    expect(all.items.map((t) => t.id).sort()).toEqual([kept.id, gone.id].sort())
  })

  it('answers NOT_FOUND to revoking a token twice and keeps the first revocation time', async () => {
    const { caller } = await api.registerOrg()
    const { id } = await caller.tokens.create({ title: 'Twice' })
    const first = await caller.tokens.revoke({ id })
    await expectTRPCError(caller.tokens.revoke({ id }), 'NOT_FOUND')
    expect((await tokenRow(id))?.revokedAt).toEqual(first.revokedAt)
  })

  it('lists only the tokens of the own organization', async () => {
    const a = await api.registerOrg()
    const b = await api.registerOrg()
    const mine = await a.caller.tokens.create({ title: 'Mine' })
    await b.caller.tokens.create({ title: 'Theirs' })
    expect((await a.caller.tokens.list({ includeRevoked: true })).items.map((t) => t.id)).toEqual([
      mine.id,
    ])
  })

  it('rotates to a new secret shown once, keeping the previous one for a day by default', async () => {
    const { caller } = await api.registerOrg()
    const created = await caller.tokens.create({ title: 'Rotate me' })
    const rotated = await caller.tokens.rotate({ id: created.id })
    expect(rotated.secret).toMatch(/^fmd_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/)
    expect(rotated.secret).not.toBe(created.secret)
    expect(rotated).toMatchObject({
      id: created.id,
      prefix: rotated.secret.slice(4, 12),
      previousPrefix: created.prefix,
      revokedAt: null,
    })
    expect(rotated.rotatedAt).toBeInstanceOf(Date)
    expect(rotated.previousExpiresAt?.getTime()).toBe(
      (rotated.rotatedAt?.getTime() ?? 0) + 86_400_000,
    )

    const row = await tokenRow(created.id)
    expect(row?.tokenHash).toBe(hashOpaqueToken(rotated.secret))
    expect(row?.previousTokenHash).toBe(hashOpaqueToken(created.secret))
    const { secret, ...shown } = rotated
    expectNoSecrets(shown, secret)
    expectNoSecrets(shown, created.secret)
    expectNoSecrets(await caller.tokens.list({}), secret)
    expectNoSecrets(await caller.tokens.list({}), created.secret)
  })

  it('keeps only the newest previous secret when rotated again within the grace', async () => {
    const { caller } = await api.registerOrg()
    const created = await caller.tokens.create({ title: 'Twice rotated' })
    const first = await caller.tokens.rotate({ id: created.id })
    const second = await caller.tokens.rotate({ id: created.id })
    expect(second.previousPrefix).toBe(first.prefix)
    const row = await tokenRow(created.id)
    expect(row?.tokenHash).toBe(hashOpaqueToken(second.secret))
    expect(row?.previousTokenHash).toBe(hashOpaqueToken(first.secret))
  })

  it('answers NOT_FOUND to rotating a revoked token and changes nothing', async () => {
    const { caller } = await api.registerOrg()
    const { id } = await caller.tokens.create({ title: 'Revoked' })
    await caller.tokens.revoke({ id })
    const before = await tokenRow(id)
    await expectTRPCError(caller.tokens.rotate({ id }), 'NOT_FOUND')
    expect(await tokenRow(id)).toEqual(before)
  })

  it('answers FORBIDDEN to the user role on rotate and changes nothing', async () => {
    const admin = await api.registerOrg()
    const member = await api.addUser(admin.caller, 'user')
    const { id } = await admin.caller.tokens.create({ title: 'Admins only' })
    const before = await tokenRow(id)
    await expectTRPCError(member.caller.tokens.rotate({ id }), 'FORBIDDEN')
    expect(await tokenRow(id)).toEqual(before)
  })

  it('answers NOT_FOUND to updating, rotating and revoking another organization’s token', async () => {
    const owner = await api.registerOrg()
    const intruder = await api.registerOrg()
    const token = await owner.caller.tokens.create({ title: 'Owned' })
    const before = await tokenRow(token.id)

    await expectTRPCError(
      intruder.caller.tokens.update({ id: token.id, title: 'Hijacked' }),
      'NOT_FOUND',
    )
    await expectTRPCError(intruder.caller.tokens.rotate({ id: token.id }), 'NOT_FOUND')
    await expectTRPCError(intruder.caller.tokens.revoke({ id: token.id }), 'NOT_FOUND')
    expect(await tokenRow(token.id)).toEqual(before)
  })
})
