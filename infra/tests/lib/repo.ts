import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (the Docker build context, the workflows' working directory). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)))
export const INFRA_DIR = join(REPO_ROOT, 'infra')
export const DOCKER_DIR = join(INFRA_DIR, 'docker')
export const TERRAFORM_DIR = join(INFRA_DIR, 'terraform')

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8')
}

interface PackageJson {
  name: string
  packageManager?: string
  engines?: Record<string, string>
  scripts?: Record<string, string>
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readRepoFile(join(dir, 'package.json'))) as PackageJson
}

/** The script of a workspace package, e.g. `readScript('apps/server', 'start')`. */
export function readScript(dir: string, script: string): string {
  const command = readPackageJson(dir).scripts?.[script]
  if (!command) throw new Error(`${dir}/package.json has no "${script}" script`)
  return command
}

/**
 * Every environment variable the server reads, from the zod schema in apps/server/src/env.ts
 * (the one place that reads process.env), with its default when it has a literal one.
 */
export function readServerEnv(): Map<string, string | undefined> {
  const source = readRepoFile('apps/server/src/env.ts')
  const start = source.indexOf('const ZEnv = z.object({')
  const end = source.indexOf('\n})\n', start)
  if (start < 0 || end < 0) throw new Error('ZEnv not found in apps/server/src/env.ts')
  const schema = source.slice(start, end)
  const vars = new Map<string, string | undefined>()
  for (const match of schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*): ([^\n]*(?:\n {4}[^\n]*)*)/gm)) {
    const [, name, definition] = match
    const literal = /\.default\(('[^']*'|[\d_]+)\)/.exec(definition ?? '')?.[1]
    vars.set(name!, literal?.replace(/'/g, '').replace(/_/g, ''))
  }
  return vars
}

/** The long options of the device simulator (`--name`), from its parseArgs option table. */
export function readSimulatorFlags(): Set<string> {
  const source = readRepoFile('apps/device-sim/src/args.ts')
  const start = source.indexOf('const OPTIONS = {')
  const end = source.indexOf('} as const', start)
  if (start < 0 || end < 0) throw new Error('OPTIONS not found in apps/device-sim/src/args.ts')
  const table = source.slice(start, end)
  return new Set([...table.matchAll(/^ {2}'?([a-z][a-z-]*)'?: \{/gm)].map((m) => `--${m[1]}`))
}
