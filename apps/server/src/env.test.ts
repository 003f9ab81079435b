import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './env.ts'

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts')

describe('environment validation', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ port: 4000, databaseUrl: undefined, corsOrigins: [] })
    expect(config.isJwtSecretEphemeral).toBe(true)
  })

  it('runs the rules engine unless ALERTS_ENABLED=false', () => {
    expect(loadConfig({}).alerts).toEqual({
      tickMs: 30_000,
      ruleCacheMs: 5000,
      leaseTtlMs: 5000,
    })
    expect(loadConfig({ ALERTS_ENABLED: 'false' }).alerts).toBeUndefined()
  })

  it('names every bad variable in one error', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short' })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(/PORT/)
    expect((error as Error).message).toMatch(/DATABASE_URL/)
    expect((error as Error).message).toMatch(/JWT_SECRET/)
  })

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/)
  })

  it('requires PUBLIC_URL in production when email is on, for the links in emails', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('base64url') }
    const smtp = { SMTP_URL: 'smtp://mail.example.test:587' }
    expect(() => loadConfig({ ...production, ...smtp })).toThrow(/PUBLIC_URL is required/)
    const config = loadConfig({ ...production, ...smtp, PUBLIC_URL: 'https://fleet.example/' })
    expect(config.publicUrl).toBe('https://fleet.example')
    expect(() => loadConfig(production)).not.toThrow()
  })

  it('parses the CORS allowlist into origins', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://a.example/, http://b.example:8080' })
    expect(config.corsOrigins).toEqual(['https://a.example', 'http://b.example:8080'])
  })

  it('exits 1 with one clear line when started with a bad variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: { PATH: process.env.PATH, PORT: '70000' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toMatch(/^Invalid environment: PORT/)
  })
})
