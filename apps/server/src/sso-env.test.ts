import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './env.ts'

describe('single sign-on settings', () => {
  it('allows no private issuer and trusts no domain by default, in every environment', () => {
    for (const NODE_ENV of ['development', 'test'] as const) {
      expect(loadConfig({ NODE_ENV }).sso).toEqual({
        trustedDomains: [],
        allowPrivateIssuers: false,
      })
    }
  })

  it('reads SSO_TRUSTED_DOMAINS as lower-case punycode, and SSO_ALLOW_PRIVATE_ISSUERS', () => {
    const config = loadConfig({
      SSO_TRUSTED_DOMAINS: ' Example.COM., *.Corp.Example ,bücher.de',
      SSO_ALLOW_PRIVATE_ISSUERS: 'true',
    })
    expect(config.sso).toEqual({
      trustedDomains: ['example.com', '*.corp.example', 'xn--bcher-kva.de'],
      allowPrivateIssuers: true,
    })
  })

  it('refuses what is no domain', () => {
    for (const SSO_TRUSTED_DOMAINS of ['exa mple.com', 'https://example.com', '*.']) {
      expect(() => loadConfig({ SSO_TRUSTED_DOMAINS }), SSO_TRUSTED_DOMAINS).toThrow(ConfigError)
    }
    expect(() => loadConfig({ SSO_ALLOW_PRIVATE_ISSUERS: 'yes' })).toThrow(/SSO_ALLOW_PRIVATE/)
  })
})
