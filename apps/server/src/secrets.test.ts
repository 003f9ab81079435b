import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_JWT_SECRET, TEST_METRICS_TOKEN } from '@fms/testkit'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './env.ts'

// Production refuses a JWT_SECRET (or METRICS_TOKEN) that anyone reading the repository has, and
// one that was typed rather than generated: with it anyone can sign an admin's access token.
const HERE = dirname(fileURLToPath(import.meta.url))
const MAIN = join(HERE, 'main.ts')
const REPO_ROOT = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: HERE })
  .toString()
  .trim()
/** The compose file's default before secrets became required; it stays in the history. */
const OLD_COMPOSE_JWT_SECRET = 'local-compose-only-jwt-secret-change-me-0000'
const GOOD_JWT_SECRET = randomBytes(48).toString('base64')

interface Finding {
  file: string
  value: string
}

const NAME = '[A-Z0-9_]*(?:JWT_SECRET|METRICS_TOKEN)'
/** `NAME=v`, `NAME: 'v'`, `NAME = "v".padEnd(48, 'x')`; group 4 is an unquoted value. */
const ASSIGNED = new RegExp(
  String.raw`\b${NAME}["']?[ \t]*[:=][ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|\x60([^\x60\n]*)\x60|([^\s"'\x60,;)}\]]+))(?:\.padEnd\((\d+),\s*'(.)'\)|\.repeat\((\d+)\))?`,
  'g',
)
/** `${NAME:-default}`: what runs when nobody sets the variable. */
const DEFAULTED = new RegExp(String.raw`\$\{${NAME}:?-([^}\n]*)\}`, 'g')
const CODE_FILE = /\.[cm]?[jt]sx?$/

/** A reference or a placeholder (`$VAR`, `$(openssl …)`, `<…>`, `…`), not a value. */
function isReference(value: string): boolean {
  return value === '' || /^[$<…%]/.test(value) || /^[A-Za-z_][\w-]*(\.[\w[\]*-]+)+$/.test(value)
}

/** Every JWT_SECRET / METRICS_TOKEN value written in a tracked text file. */
function findPublishedValues(): Finding[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT })
    .toString()
    .split('\0')
    .filter(Boolean)
  return files.flatMap((file) => {
    let bytes: Buffer
    try {
      bytes = readFileSync(join(REPO_ROOT, file))
    } catch {
      return []
    }
    if (bytes.includes(0)) return []
    const text = bytes.toString('utf8')
    const found: string[] = []
    for (const m of text.matchAll(ASSIGNED)) {
      const quoted = m[1] ?? m[2] ?? m[3]
      // In code an unquoted right-hand side is an expression (a constant, randomBytes(…)).
      const literal = quoted ?? (CODE_FILE.test(file) ? undefined : m[4])
      if (literal === undefined) continue
      const padded = m[5] ? literal.padEnd(Number(m[5]), m[6]) : literal
      found.push(m[7] ? padded.repeat(Number(m[7])) : padded)
    }
    for (const m of text.matchAll(DEFAULTED)) found.push(m[1] ?? '')
    return found.filter((value) => !isReference(value)).map((value) => ({ file, value }))
  })
}

const FINDINGS = findPublishedValues()
const PUBLISHED = [...new Set([...FINDINGS.map((f) => f.value), OLD_COMPOSE_JWT_SECRET])]

/** The ConfigError message loading this production environment gives, or null if it loads. */
function productionRefusal(env: Record<string, string>): string | null {
  try {
    loadConfig({ NODE_ENV: 'production', ...env })
    return null
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    return error.message
  }
}

/** The values whose refusal does not name `name` (or that are accepted). */
function notRefused(name: 'JWT_SECRET' | 'METRICS_TOKEN', values: readonly string[]): string[] {
  return values.filter((value) => {
    const env = name === 'JWT_SECRET' ? { JWT_SECRET: value } : { JWT_SECRET: GOOD_JWT_SECRET }
    const message = productionRefusal({ ...env, [name]: value })
    const isNamed = message?.includes(name) ?? false
    // The refusal never repeats the secret (logs are read by more people than the secret).
    return !isNamed || (value.length >= 12 && message?.includes(value))
  })
}

describe('published secrets', () => {
  it("finds the values written in the repository, the test servers' constants included", () => {
    expect(PUBLISHED).toEqual(expect.arrayContaining([TEST_JWT_SECRET, TEST_METRICS_TOKEN]))
    // Every test server (server tests, web e2e, the simulator's e2e, benchmarks) takes them from here.
    expect(FINDINGS.map((f) => f.file)).toEqual(
      expect.arrayContaining([
        'packages/testkit/src/server-process.ts',
        'infra/tests/published-secrets.test.ts',
      ]),
    )
  })

  it('refuses every one of them as JWT_SECRET in production, naming JWT_SECRET', () => {
    expect(notRefused('JWT_SECRET', PUBLISHED)).toEqual([])
  })

  it('refuses every one of them as METRICS_TOKEN in production, naming METRICS_TOKEN', () => {
    expect(notRefused('METRICS_TOKEN', PUBLISHED)).toEqual([])
  })

  it('refuses a DATABASE_URL with the published password, without repeating it', () => {
    const url = 'postgres://fms:fms-local-only@db:5432/fms'
    const message = productionRefusal({ JWT_SECRET: GOOD_JWT_SECRET, DATABASE_URL: url })
    expect(message).toMatch(/DATABASE_URL/)
    expect(message).not.toContain('fms-local-only')
  })

  it('accepts a DATABASE_URL with a generated password or none', () => {
    const password = randomBytes(24).toString('base64url')
    for (const url of [`postgres://fms:${password}@db:5432/fms`, 'postgres://fms@db:5432/fms']) {
      expect(productionRefusal({ JWT_SECRET: GOOD_JWT_SECRET, DATABASE_URL: url })).toBeNull()
    }
  })
})

describe('weak secrets', () => {
  it.each([
    ['short', 'x7Kp2'],
    ['one short of 32 characters', 'vCJUrojkFmbKnbRk9yflGJ482yGjwbc'],
    ['one character 64 times', 'a'.repeat(64)],
    ['two characters alternating', 'ab'.repeat(32)],
    ['a placeholder', 'change-me-to-a-long-random-string-9Kx2Qw7Zp'],
    ['a placeholder', 'replace-with-output-of-openssl-rand-base64-48'],
    ['a placeholder', 'your-super-secret-jwt-key-at-least-32-chars'],
    ['a placeholder', 'CHANGE_ME_CHANGE_ME_CHANGE_ME_CHANGE_ME_2026'],
    ['a placeholder', 'example-jwt-key-of-sufficient-length-9Kx2Qw7'],
    ['a keyboard walk', 'qwertyuiopasdfghjklzxcvbnm0192837465'],
  ])('refuses %s as JWT_SECRET in production: %s', (_, secret) => {
    expect(notRefused('JWT_SECRET', [secret])).toEqual([])
  })

  it.each([
    ['openssl rand -base64 48', () => randomBytes(48).toString('base64')],
    ['openssl rand -hex 32', () => randomBytes(32).toString('hex')],
  ])('accepts 20 draws of what %s prints', (_, draw) => {
    const refused = Array.from({ length: 20 }, draw).flatMap((secret) => {
      const message = productionRefusal({ JWT_SECRET: secret, METRICS_TOKEN: secret })
      return message === null ? [] : [`${secret}: ${message}`]
    })
    expect(refused).toEqual([])
  })
})

describe('a production process', () => {
  it('exits 1 with one line naming JWT_SECRET when given the published compose secret', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        FMS_DATA_DIR: 'memory://',
        FMS_WEB_DIST: '/nonexistent',
        JWT_SECRET: OLD_COMPOSE_JWT_SECRET,
      },
      encoding: 'utf8',
      timeout: 15_000,
    })
    expect(result.stdout).not.toContain('server listening')
    expect(result.status).toBe(1)
    const lines = result.stderr.trim().split('\n')
    expect(lines).toEqual([expect.stringMatching(/^Invalid environment: JWT_SECRET\b/)])
    expect(result.stderr).not.toContain(OLD_COMPOSE_JWT_SECRET)
  })
})
