import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

/** Who the test provider signs in next, with the claims it vouches for. */
export interface TestIdpAccount {
  sub: string
  email: string
  emailVerified: boolean
}

export interface TestIdp {
  issuer: string
  clientId: string
  clientSecret: string
  /** Who the next sign-in at the provider is (its login screen answers for them at once). */
  signInAs(account: TestIdpAccount): void
  close(): Promise<void>
}

/**
 * A real OpenID provider (`oidc-provider`) in this process on a random loopback port, for tests:
 * one confidential client (client_secret_basic) with the given redirect URIs, PKCE required, the
 * `openid email profile` scopes. Its login and consent screens are replaced by a handler that
 * signs in the account set with `signInAs` and grants what was asked, so a test drives the
 * whole authorization code flow with plain HTTP requests.
 */
export async function startTestIdp(options: { redirectUris: string[] }): Promise<TestIdp> {
  let current: TestIdpAccount | null = null
  const accounts = new Map<string, TestIdpAccount>()
  const server: Server = createServer()
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const clientId = `fms-test-${randomBytes(4).toString('hex')}`
  const clientSecret = randomBytes(24).toString('base64url')
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: { devInteractions: { enabled: false } },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub)
      if (!account) return undefined
      return {
        accountId: sub,
        async claims() {
          return { sub, email: account.email, email_verified: account.emailVerified, name: sub }
        },
      }
    },
  })
  const callback = provider.callback()
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res)
    void (async () => {
      const details = await provider.interactionDetails(req, res)
      if (details.prompt.name === 'login') {
        if (!current) throw new Error('startTestIdp: call signInAs first')
        accounts.set(current.sub, current)
        await provider.interactionFinished(req, res, { login: { accountId: current.sub } })
        return
      }
      const accountId = details.session?.accountId
      const grant = new provider.Grant({ accountId, clientId: details.params.client_id as string })
      grant.addOIDCScope(String(details.params.scope))
      const grantId = await grant.save()
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      )
    })().catch((error: unknown) => {
      res.statusCode = 500
      res.end(String(error))
    })
  })
  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(account) {
      current = account
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}
