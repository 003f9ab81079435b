import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { INFRA_DIR, REPO_ROOT } from './lib/repo.ts'

// A secret written in the repository is a secret everyone has: with a JWT_SECRET from a compose
// default, a README or a tfvars example anyone can sign admin tokens. So the deployment files and
// their documentation hold only required variables, empty values and `<...>` placeholders.

const SKIPPED_DIRS = new Set(['node_modules', 'tests', '.terraform'])

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      return SKIPPED_DIRS.has(entry.name) ? [] : listFiles(join(dir, entry.name))
    }
    return [join(dir, entry.name)]
  })
}

const FILES = [...listFiles(INFRA_DIR), join(REPO_ROOT, 'docs/operations.md')]

/**
 * `JWT_SECRET=value`, `POSTGRES_PASSWORD: value`, `METRICS_TOKEN = "value"` and the like (not the
 * name inside a `${...}` reference, which is where the value comes from).
 */
const ASSIGNMENT =
  /(?<![{$\w])([A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|TOKEN))\b["']?\s*[:=]\s*["']?([^\s"',;)]*)/g
/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+]*:\/\/[^\s/@:'"]+:([^\s/@'"]+)@/g

/**
 * Empty, a variable without a default (`${VAR:?…}`, `$(openssl rand …)`), a `<placeholder>` or
 * an ellipsis. `${VAR:-value}` is a value: it is what runs when nobody sets VAR.
 */
function isPlaceholder(value: string): boolean {
  if (/^\$\{[A-Z0-9_]+:?-./.test(value)) return false
  return value === '' || /^(\$|<|…|%s)/.test(value)
}

/**
 * Too short to be a usable secret (the server wants 32 characters for JWT_SECRET, the admin
 * password 8), or a Terraform reference such as `aws_secretsmanager_secret.jwt.arn`.
 */
function isNotASecret(value: string): boolean {
  return value.length < 8 || /^[a-z_]+(\.[\w[\]*]+)+$/.test(value)
}

function findings(pattern: RegExp, group: number): string[] {
  return FILES.flatMap((file) => {
    const text = readFileSync(file, 'utf8')
    return [...text.matchAll(pattern)]
      .filter((m) => !isPlaceholder(m[group] ?? '') && !isNotASecret(m[group] ?? ''))
      .map((m) => `${relative(REPO_ROOT, file)}: ${m[0]}`)
  })
}

describe('secrets in infra/ and the operations guide', () => {
  it('looks at the compose stack, the Terraform and the docs', () => {
    const names = FILES.map((file) => relative(REPO_ROOT, file))
    expect(names).toEqual(
      expect.arrayContaining([
        'infra/README.md',
        'infra/docker/compose.yaml',
        'infra/terraform/terraform.tfvars.example',
        'infra/terraform/modules/service/main.tf',
        'docs/operations.md',
      ]),
    )
  })

  it('assigns no value to a secret, a password or a token anywhere', () => {
    expect(findings(ASSIGNMENT, 2)).toEqual([])
  })

  it('writes no password into a URL, not even as an example', () => {
    expect(findings(URL_CREDENTIALS, 1)).toEqual([])
  })

  it('catches what it is meant to catch', () => {
    const sample = [
      'JWT_SECRET: ${JWT_SECRET:-some-default-value-of-enough-length}',
      'export FMS_ADMIN_PASSWORD="correct-horse-battery"',
      'postgres://fms:hunter2@db/fms',
    ].join('\n')
    expect([...sample.matchAll(ASSIGNMENT)].map((m) => [m[1], isPlaceholder(m[2]!)])).toEqual([
      ['JWT_SECRET', false],
      ['FMS_ADMIN_PASSWORD', false],
    ])
    expect(isPlaceholder('${JWT_SECRET:?set JWT_SECRET}')).toBe(true)
    expect(isPlaceholder('<generate: openssl rand -base64 48>')).toBe(true)
    expect([...sample.matchAll(URL_CREDENTIALS)].map((m) => m[1])).toEqual(['hunter2'])
  })
})
