import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTokens } from '../schema/index.ts'
import { createTestDb, type TestDbHandle, testDbKind } from '../testing.ts'
import {
  createApiToken,
  findActiveApiTokenByPrefix,
  revokeApiToken,
  rotateApiToken,
} from './api-tokens.ts'
import { createOrganization } from './organizations.ts'

let handle: TestDbHandle
let orgId: string

beforeAll(async () => {
  handle = await createTestDb()
  orgId = (await createOrganization(handle.db, { name: 'Tokens' })).id
})
afterAll(() => handle?.close())

/** A lookup prefix and a stand-in digest (the real ones come from @fms/auth). */
function secret() {
  return {
    prefix: randomBytes(6).toString('base64url'),
    tokenHash: randomBytes(32).toString('hex'),
  }
}

async function createToken() {
  const first = secret()
  const token = await createApiToken(handle.db, { orgId, title: 'T', createdBy: null, ...first })
  return { token, first }
}

const GRACE_SEC = 60

describe(`device token rotation (${testDbKind()})`, () => {
  it('finds the new secret and, until the grace ends, the previous one', async () => {
    const { token, first } = await createToken()
    const second = secret()
    const now = new Date()
    const rotated = await rotateApiToken(handle.db, {
      orgId,
      id: token.id,
      ...second,
      graceSec: GRACE_SEC,
      now,
    })
    const graceEnd = new Date(now.getTime() + GRACE_SEC * 1000)
    expect(rotated).toMatchObject({
      prefix: second.prefix,
      previousPrefix: first.prefix,
      previousExpiresAt: graceEnd,
      rotatedAt: now,
    })

    expect(await findActiveApiTokenByPrefix(handle.db, second.prefix)).toEqual({
      id: token.id,
      orgId,
      tokenHash: second.tokenHash,
      expiresAt: null,
    })
    const justBefore = new Date(graceEnd.getTime() - 1)
    expect(await findActiveApiTokenByPrefix(handle.db, first.prefix, justBefore)).toEqual({
      id: token.id,
      orgId,
      tokenHash: first.tokenHash,
      expiresAt: graceEnd,
    })
    expect(await findActiveApiTokenByPrefix(handle.db, first.prefix, graceEnd)).toBeNull()
  })

  it('keeps only the newest previous secret when rotated again during the grace', async () => {
    const { token, first } = await createToken()
    const second = secret()
    const third = secret()
    await rotateApiToken(handle.db, { orgId, id: token.id, ...second, graceSec: GRACE_SEC })
    await rotateApiToken(handle.db, { orgId, id: token.id, ...third, graceSec: GRACE_SEC })
    expect(await findActiveApiTokenByPrefix(handle.db, first.prefix)).toBeNull()
    expect((await findActiveApiTokenByPrefix(handle.db, second.prefix))?.tokenHash).toBe(
      second.tokenHash,
    )
    expect((await findActiveApiTokenByPrefix(handle.db, third.prefix))?.tokenHash).toBe(
      third.tokenHash,
    )
  })

  it('finds neither secret once the token is revoked, and does not rotate it', async () => {
    const { token, first } = await createToken()
    const second = secret()
    await rotateApiToken(handle.db, { orgId, id: token.id, ...second, graceSec: GRACE_SEC })
    await revokeApiToken(handle.db, { orgId, id: token.id })
    expect(await findActiveApiTokenByPrefix(handle.db, first.prefix)).toBeNull()
    expect(await findActiveApiTokenByPrefix(handle.db, second.prefix)).toBeNull()

    const [before] = await handle.db.select().from(apiTokens).where(eq(apiTokens.id, token.id))
    const again = await rotateApiToken(handle.db, {
      orgId,
      id: token.id,
      ...secret(),
      graceSec: GRACE_SEC,
    })
    expect(again).toBeNull()
    const [after] = await handle.db.select().from(apiTokens).where(eq(apiTokens.id, token.id))
    expect(after).toEqual(before)
  })

  it("does not rotate another organization's token", async () => {
    const { token, first } = await createToken()
    const other = await createOrganization(handle.db, { name: 'Other' })
    const rotated = await rotateApiToken(handle.db, {
      orgId: other.id,
      id: token.id,
      ...secret(),
      graceSec: GRACE_SEC,
    })
    expect(rotated).toBeNull()
    expect(await findActiveApiTokenByPrefix(handle.db, first.prefix)).toMatchObject({
      tokenHash: first.tokenHash,
      expiresAt: null,
    })
  })
})
