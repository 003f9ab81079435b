import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createInnerContext } from '../context.ts'
import type { AppError } from '../errors.ts'
import { createCaller } from '../root.ts'
import { blockedAddressKind, checkWebhookHost, checkWebhookUrl } from '../schemas/index.ts'
import { createTestApi, expectTRPCError, type TestApi } from '../testing.ts'

// The DNS the webhook URL check sees: fixed answers, no network. Unknown names do not resolve.
vi.mock('node:dns/promises', () => {
  const ZONE: Record<string, [string, number][]> = {
    'hooks.example.com': [['93.184.215.14', 4]],
    localhost: [
      ['127.0.0.1', 4],
      ['::1', 6],
    ],
    '127.0.0.1': [['127.0.0.1', 4]],
    'rebind.example.com': [['10.0.0.7', 4]],
    'mixed.example.com': [
      ['93.184.215.14', 4],
      ['192.168.1.10', 4],
    ],
    'cgnat.example.com': [['100.64.0.1', 4]],
    'mapped.example.com': [['::ffff:127.0.0.1', 6]],
    'metadata.example.com': [['169.254.169.254', 4]],
  }
  const lookup = async (hostname: string) => {
    const answer = ZONE[hostname]
    if (!answer)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return answer.map(([address, family]) => ({ address, family }))
  }
  return { lookup, default: { lookup } }
})

let api: TestApi
let orgAToken: string
let a: ReturnType<typeof createCaller>
let b: ReturnType<typeof createCaller>
let user: ReturnType<typeof createCaller>

function callerFor(accessToken: string) {
  return createCaller(createInnerContext(api.deps, { accessToken }))
}

beforeAll(async () => {
  api = await createTestApi()
  const orgA = await api.registerOrg()
  const orgB = await api.registerOrg()
  const member = await api.addUser(orgA.caller, 'user')
  orgAToken = orgA.session.accessToken
  a = callerFor(orgAToken)
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

  it('refuses non-https and private-network URLs; the syntax check lets loopback through', async () => {
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

  it('refuses a host that resolves to loopback (localhost) unless private networks are allowed', async () => {
    const reasons = {
      'http://localhost:8080/x': 'localhost resolves to a non-public address (loopback)',
      'http://127.0.0.1:8080/x': '127.0.0.1 (loopback)',
    }
    for (const [url, reason] of Object.entries(reasons)) {
      const error = await expectTRPCError(a.webhooks.create({ url }), 'BAD_REQUEST')
      expect(error.message).toContain(`Must be a public address: ${reason}`)
      expect((error.cause as AppError).fieldErrors?.url).toEqual([error.message])
    }
    const local = createCaller(
      createInnerContext({ ...api.deps, allowPrivateWebhooks: true }, { accessToken: orgAToken }),
    )
    const hook = await local.webhooks.create({ url: 'http://localhost:8080/x' })
    expect(hook.url).toBe('http://localhost:8080/x')
    await local.webhooks.remove({ id: hook.id })
  })

  it('refuses a host with any non-public address, or one that does not resolve, on create and update', async () => {
    const refused = {
      'https://rebind.example.com/x':
        'rebind.example.com resolves to a non-public address (private)',
      'https://mixed.example.com/x': 'resolves to a non-public address (private)',
      'https://cgnat.example.com/x': 'resolves to a non-public address (CGNAT)',
      'https://mapped.example.com/x': 'resolves to a non-public address (IPv4-mapped loopback)',
      'https://metadata.example.com/x': 'resolves to a non-public address (link-local)',
      'https://nowhere.example.com/x': 'nowhere.example.com does not resolve',
    }
    const hook = await a.webhooks.create({ url: URL_OK })
    for (const [url, reason] of Object.entries(refused)) {
      const created = await expectTRPCError(a.webhooks.create({ url }), 'BAD_REQUEST')
      expect((created.cause as AppError).fieldErrors?.url?.[0], url).toContain(reason)
      // The resolved internal address is never echoed back.
      expect(created.message, url).not.toMatch(/10\.0\.0\.7|192\.168|100\.64|::ffff|169\.254/)
      const updated = await expectTRPCError(a.webhooks.update({ id: hook.id, url }), 'BAD_REQUEST')
      expect(updated.message, url).toContain(reason)
    }
    expect((await a.webhooks.list()).map((w) => w.url)).toEqual([URL_OK])
    await a.webhooks.remove({ id: hook.id })
  })

  it('classifies loopback, private, link-local, CGNAT, multicast, unspecified and mapped addresses', () => {
    const kinds: Record<string, string | null> = {
      '127.0.0.1': 'loopback',
      '127.255.0.9': 'loopback',
      '::1': 'loopback',
      '10.1.2.3': 'private',
      '172.16.0.1': 'private',
      '192.168.0.1': 'private',
      'fd12:3456::1': 'private',
      '169.254.169.254': 'link-local',
      'fe80::1%eth0': 'link-local',
      '100.64.0.1': 'CGNAT',
      '100.127.255.255': 'CGNAT',
      '224.0.0.1': 'multicast',
      'ff02::1': 'multicast',
      '0.0.0.0': 'unspecified',
      '::': 'unspecified',
      '::ffff:10.0.0.1': 'IPv4-mapped private',
      '::ffff:7f00:1': 'IPv4-mapped loopback',
      '64:ff9b::a9fe:a9fe': 'NAT64 link-local',
      '2002:c0a8:0101::1': '6to4 private',
      '255.255.255.255': 'reserved',
      '[::1]': 'loopback',
      'not-an-ip': 'unparseable',
      '1:2:3:4:5:6:7:8:9': 'unparseable',
      '93.184.215.14': null,
      '100.128.0.1': null,
      '172.32.0.1': null,
      '2606:2800:21f:cb07:6820:80da:af6b:8b2c': null,
      '::ffff:93.184.215.14': null,
    }
    for (const [address, kind] of Object.entries(kinds)) {
      expect(blockedAddressKind(address), address).toBe(kind)
    }
  })

  it('gives up on a DNS lookup slower than its timeout', async () => {
    const check = await checkWebhookHost('https://slow.example.com/', {
      lookup: () => new Promise(() => {}),
      allowPrivate: false,
      timeoutMs: 20,
    })
    expect(check).toEqual({
      ok: false,
      error: 'DNS lookup of slow.example.com timed out after 20 ms',
    })
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
