import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createInnerContext } from '../context.ts'
import { checkWebhookUrl } from '../schemas/index.ts'
import { createTestApi, expectTRPCError, type TestApi } from '../testing.ts'
import { createCallerFactory, router } from '../trpc.ts'
import { webhooksRouter } from './webhooks.ts'

// Not registered in root.ts yet: a local router gives the procedures a caller.
const createWebhooksCaller = createCallerFactory(router({ webhooks: webhooksRouter }))

let api: TestApi
let a: ReturnType<typeof createWebhooksCaller>
let b: ReturnType<typeof createWebhooksCaller>
let user: ReturnType<typeof createWebhooksCaller>

function callerFor(accessToken: string) {
  return createWebhooksCaller(createInnerContext(api.deps, { accessToken }))
}

beforeAll(async () => {
  api = await createTestApi()
  const orgA = await api.registerOrg()
  const orgB = await api.registerOrg()
  const member = await api.addUser(orgA.caller, 'user')
  a = callerFor(orgA.session.accessToken)
  b = callerFor(orgB.session.accessToken)
  user = callerFor(member.session.accessToken)
})
afterAll(() => api?.close())

const URL_OK = 'https://hooks.example.com/fms'

describe('webhooks', () => {
  it('creates, lists, updates and removes; the secret is returned once', async () => {
    const created = await a.webhooks.create({ url: URL_OK, kinds: ['overspeed', 'overspeed'] })
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(created).toMatchObject({ url: URL_OK, kinds: ['overspeed'], isEnabled: true })

    const listed = await a.webhooks.list()
    expect(listed.map((w) => w.id)).toEqual([created.id])
    expect(JSON.stringify(listed)).not.toContain(created.secret)
    expect(listed[0]).not.toHaveProperty('secret')

    const updated = await a.webhooks.update({ id: created.id, isEnabled: false, kinds: [] })
    expect(updated).toMatchObject({ isEnabled: false, kinds: [] })
    expect(updated).not.toHaveProperty('secret')

    const removed = await a.webhooks.remove({ id: created.id })
    expect(removed).not.toHaveProperty('secret')
    expect(await a.webhooks.list()).toEqual([])
  })

  it('refuses non-https and private-network URLs, allows loopback for local receivers', async () => {
    const refused = [
      'http://hooks.example.com/x',
      'ftp://hooks.example.com/x',
      'https://10.0.0.5/x',
      'https://172.16.0.1/x',
      'https://172.31.255.255/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://metadata.google.internal/',
      'https://127.0.0.2/x',
      'https://0.0.0.0/x',
      'https://[fd00::1]/x',
      'https://[fe80::1]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://intranet/x',
      'https://user:pw@hooks.example.com/x',
      'not a url',
    ]
    for (const url of refused) {
      expect(checkWebhookUrl(url), url).not.toBeNull()
      await expectTRPCError(a.webhooks.create({ url }), 'BAD_REQUEST')
    }
    for (const url of ['http://127.0.0.1:8080/x', 'http://localhost/x', 'http://[::1]:9/x']) {
      expect(checkWebhookUrl(url), url).toBeNull()
    }
    expect(checkWebhookUrl('https://172.32.0.1/x')).toBeNull()
    const hook = await a.webhooks.create({ url: URL_OK })
    await expectTRPCError(
      a.webhooks.update({ id: hook.id, url: 'https://10.1.1.1/' }),
      'BAD_REQUEST',
    )
    await a.webhooks.remove({ id: hook.id })
  })

  it('refuses unknown alert kinds', async () => {
    await expectTRPCError(
      a.webhooks.create({ url: URL_OK, kinds: ['nope' as never] }),
      'BAD_REQUEST',
    )
  })

  it('queues a test event and shows it in the delivery log', async () => {
    const hook = await a.webhooks.create({ url: URL_OK })
    const queued = await a.webhooks.test({ id: hook.id })
    expect(queued.queued).toBe(true)
    const log = await a.webhooks.deliveries({ id: hook.id })
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({ id: queued.deliveryId, status: 'pending', attempts: 0 })
    expect(log[0]?.event).toMatchObject({ type: 'test' })
    await a.webhooks.remove({ id: hook.id })
  })

  it("answers NOT_FOUND for another organization's webhook and lists none of it", async () => {
    const theirs = await b.webhooks.create({ url: URL_OK })
    await expectTRPCError(a.webhooks.update({ id: theirs.id, isEnabled: false }), 'NOT_FOUND')
    await expectTRPCError(a.webhooks.remove({ id: theirs.id }), 'NOT_FOUND')
    await expectTRPCError(a.webhooks.deliveries({ id: theirs.id }), 'NOT_FOUND')
    await expectTRPCError(a.webhooks.test({ id: theirs.id }), 'NOT_FOUND')
    expect((await a.webhooks.list()).map((w) => w.id)).not.toContain(theirs.id)
    expect((await b.webhooks.list())[0]).toMatchObject({ id: theirs.id, isEnabled: true })
  })

  it('answers FORBIDDEN to a user for every procedure', async () => {
    const hook = await a.webhooks.create({ url: URL_OK })
    await expectTRPCError(user.webhooks.list(), 'FORBIDDEN')
    await expectTRPCError(user.webhooks.create({ url: URL_OK }), 'FORBIDDEN')
    await expectTRPCError(user.webhooks.update({ id: hook.id, isEnabled: false }), 'FORBIDDEN')
    await expectTRPCError(user.webhooks.remove({ id: hook.id }), 'FORBIDDEN')
    await expectTRPCError(user.webhooks.deliveries({ id: hook.id }), 'FORBIDDEN')
    await expectTRPCError(user.webhooks.test({ id: hook.id }), 'FORBIDDEN')
    expect((await a.webhooks.list()).map((w) => w.id)).toContain(hook.id)
  })
})
