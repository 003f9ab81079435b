import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { describe, expect, it } from 'vitest'
import { execForm, parseDockerfile, type Stage, stageEnv } from './lib/dockerfile.ts'
import {
  DOCKER_DIR,
  REPO_ROOT,
  readPackageJson,
  readRepoFile,
  readScript,
  readServerEnv,
} from './lib/repo.ts'

const DOCKERFILE = parseDockerfile(readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8'))
const IGNORE = readFileSync(join(DOCKER_DIR, 'Dockerfile.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
const runtime = DOCKERFILE.stages.at(-1)!

function stage(name: string): Stage {
  const found = DOCKERFILE.stages.find((s) => s.name === name)
  if (!found) throw new Error(`no stage ${name}`)
  return found
}

function runs(s: Stage): string {
  return s.instructions
    .filter((i) => i.keyword === 'RUN')
    .map((i) => i.args.join(' '))
    .join('\n')
}

/** A .dockerignore pattern as a RegExp over context-relative paths (`**`, `*`, a directory). */
function ignoreRegExp(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\//g, '\0')
    .replace(/\*/g, '[^/]*')
    .replace(/\0/g, '(?:.*/)?')
  return new RegExp(`^${source}(?:/.*)?$`)
}

function isIgnored(path: string): boolean {
  let ignored = false
  for (const pattern of IGNORE) {
    const isException = pattern.startsWith('!')
    if (ignoreRegExp(isException ? pattern.slice(1) : pattern).test(path)) ignored = !isException
  }
  return ignored
}

describe('server Dockerfile', () => {
  it('builds in stages and ships a slim Node 20 runtime stage', () => {
    expect(DOCKERFILE.stages.map((s) => s.name)).toEqual([
      'base',
      'fetch',
      'build',
      'prod-deps',
      'runtime',
    ])
    const nodeImage = DOCKERFILE.preamble.find((i) => i.keyword === 'ARG')?.args[0]
    expect(nodeImage).toMatch(/^NODE_IMAGE=node:20[\w.-]*-slim$/)
    expect(runtime.base).toBe('${NODE_IMAGE}')
    expect(readPackageJson('.').engines?.node).toMatch(/^>=20\./)
  })

  it('runs as the unprivileged node user', () => {
    const users = runtime.instructions.filter((i) => i.keyword === 'USER')
    expect(users.map((u) => u.args[0])).toEqual(['node'])
    const lastRoot = runtime.instructions.findLastIndex(
      (i) => i.keyword === 'RUN' || i.keyword === 'COPY',
    )
    expect(runtime.instructions.indexOf(users[0]!)).toBeGreaterThan(lastRoot)
  })

  it('checks /readyz with Node itself (no curl in the image)', () => {
    const healthcheck = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')!
    const command = execForm(healthcheck.raw)
    expect(command.slice(0, 2)).toEqual(['node', '-e'])
    expect(command[2]).toContain('/readyz')
    expect(command[2]).toContain('process.env.PORT')
    expect(healthcheck.flags['start-period']).toBeDefined()
  })

  it('exposes the server port and starts the server the way its start script does', () => {
    const port = readServerEnv().get('PORT')
    expect(runtime.instructions.find((i) => i.keyword === 'EXPOSE')?.args).toEqual([port])
    expect(stageEnv(runtime).PORT).toBe(port)
    expect(stageEnv(runtime).NODE_ENV).toBe('production')
    const workdirs = runtime.instructions.filter((i) => i.keyword === 'WORKDIR')
    expect(workdirs.at(-1)?.args).toEqual(['/app/apps/server'])
    const cmd = execForm(runtime.instructions.find((i) => i.keyword === 'CMD')!.raw)
    expect(cmd.join(' ')).toBe(readScript('apps/server', 'start'))
    expect(existsSync(join(REPO_ROOT, 'apps/server', cmd.at(-1)!))).toBe(true)
  })

  it('installs the pnpm version the repository pins', () => {
    const pinned = readPackageJson('.').packageManager?.replace('pnpm@', '')
    expect(runs(stage('base'))).toContain(`npm install -g pnpm@${pinned}`)
    expect(readRepoFile('.ci/run')).toContain(`PNPM_VERSION=${pinned}`)
  })

  it('installs from the lockfile only, offline after one fetch, with production deps at run time', () => {
    expect(runs(stage('fetch'))).toMatch(/pnpm fetch/)
    expect(runs(stage('build'))).toMatch(/pnpm install --offline --frozen-lockfile --prod=false/)
    const prod = runs(stage('prod-deps'))
    expect(prod).toMatch(/pnpm install --offline --frozen-lockfile --prod /)
    for (const filter of prod.matchAll(/--filter "(@fms\/[\w-]+)\.\.\."/g)) {
      const dir = filter[1] === '@fms/server' ? 'apps/server' : 'apps/device-sim'
      expect(readPackageJson(dir).name).toBe(filter[1])
    }
    expect(prod).toContain('@fms/server...')
    expect(prod).toContain('@fms/device-sim...')
  })

  it('builds the web app and serves it from FMS_WEB_DIST', () => {
    expect(runs(stage('build'))).toContain('pnpm --filter @fms/web build')
    expect(readScript('apps/web', 'build')).toBe('vite build')
    expect(readRepoFile('apps/web/vite.config.ts')).toMatch(/outDir: 'dist'/)
    const copy = runtime.instructions.find((i) => i.keyword === 'COPY' && i.flags.from === 'build')
    expect(copy?.args).toEqual(['/app/apps/web/dist', '/app/apps/web/dist'])
    expect(stageEnv(runtime).FMS_WEB_DIST).toBe('/app/apps/web/dist')
    expect(readServerEnv().has('FMS_WEB_DIST')).toBe(true)
  })

  it('keeps the embedded database in /data, which the node user owns', () => {
    expect(stageEnv(runtime).FMS_DATA_DIR).toBe('/data/pglite')
    expect(readServerEnv().has('FMS_DATA_DIR')).toBe(true)
    expect(runs(runtime)).toContain('chown node:node /data')
  })

  it('copies only paths that exist in the build context and are not ignored', () => {
    const copies = DOCKERFILE.stages.flatMap((s) =>
      s.instructions.filter((i) => i.keyword === 'COPY' && !i.flags.from),
    )
    expect(copies.length).toBeGreaterThan(0)
    for (const copy of copies) {
      for (const source of copy.args.slice(0, -1)) {
        const path = posix.normalize(source)
        expect(existsSync(join(REPO_ROOT, path)), source).toBe(true)
        if (path !== '.') expect(isIgnored(path), source).toBe(false)
      }
    }
    for (const stageName of copies.flatMap((c) => c.flags.from ?? [])) stage(stageName)
  })

  it('leaves node_modules, local data, build output and test results out of the context', () => {
    for (const path of [
      'node_modules',
      'apps/server/node_modules',
      'apps/server/.data',
      'apps/web/dist',
      'apps/web/test-results',
      '.git',
      '.env',
      'infra/docker/.env',
      'infra/terraform/terraform.tfstate',
    ]) {
      expect(isIgnored(path), path).toBe(true)
    }
    for (const path of [
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      'patches',
      'apps/server/src/main.ts',
      'packages/db/drizzle/0000_init.sql',
      '.env.example',
    ]) {
      expect(isIgnored(path), path).toBe(false)
    }
  })
})
