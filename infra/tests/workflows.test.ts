import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { REPO_ROOT, readPackageJson, readRepoFile } from './lib/repo.ts'

interface Step {
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}

interface Job {
  name?: string
  'runs-on'?: string
  'timeout-minutes'?: number
  container?: { image: string; options?: string }
  needs?: string | string[]
  if?: string
  uses?: string
  environment?: string
  permissions?: Record<string, string>
  steps?: Step[]
}

interface Workflow {
  name: string
  on: Record<string, unknown>
  jobs: Record<string, Job>
}

const WORKFLOWS_DIR = join(REPO_ROOT, '.github/workflows')

function readWorkflow(file: string): Workflow {
  return parse(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as Workflow
}

function steps(job: Job | undefined): Step[] {
  return job?.steps ?? []
}

function findStep(job: Job | undefined, action: string): Step {
  const step = steps(job).find((s) => s.uses?.startsWith(`${action}@`))
  if (!step) throw new Error(`no ${action} step`)
  return step
}

describe('CI workflow', () => {
  const ci = readWorkflow('ci.yml')
  const test = ci.jobs.test

  it('runs on pushes to main, on pull requests, and when the release workflow calls it', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call'])
    expect(ci.on.push).toEqual({ branches: ['main'] })
  })

  it('runs exactly `bash .ci/run`, which runs the README test command', () => {
    const runs = steps(test).flatMap((s) => (s.run ? [s.run.trim()] : []))
    expect(runs.at(-1)).toBe('bash .ci/run')
    expect(readRepoFile('.ci/run')).toMatch(/CI=true pnpm test /)
    expect(readRepoFile('README.md')).toMatch(/^pnpm test\s+# run every test/m)
    expect(readPackageJson('.').scripts?.test).toBeDefined()
  })

  it('runs it on a machine like the CI machine: Debian 12, Node 20, PostgreSQL, Redis, Mosquitto', () => {
    expect(test?.container?.image).toBe('node:20-bookworm')
    expect(test?.container?.options).toContain('--shm-size')
    const setup = steps(test).find((s) => s.run?.includes('apt-get install'))?.run ?? ''
    expect(setup).toMatch(/postgresql redis-server redis-tools mosquitto/)
    expect(setup).toContain('host all all 127.0.0.1/32 trust')
    expect(setup).toContain("printf 'listener 1883 127.0.0.1")
    expect(setup).toContain('mosquitto -d -c /etc/mosquitto/conf.d/ci.conf')
    expect(test?.['timeout-minutes']).toBeLessThanOrEqual(90)
    expect(readRepoFile('.ci/run')).toContain('pg_ctlcluster')
  })

  it('checks the Terraform with terraform fmt and validate', () => {
    const runs = steps(ci.jobs.terraform).flatMap((s) => s.run ?? [])
    expect(runs).toEqual([
      'terraform fmt -check -recursive',
      'terraform init -backend=false -input=false',
      'terraform validate',
    ])
    findStep(ci.jobs.terraform, 'hashicorp/setup-terraform')
  })

  it('builds the image, then starts it alone and as the compose stack', () => {
    const build = findStep(ci.jobs.image, 'docker/build-push-action')
    expect(build.with).toMatchObject({ file: 'infra/docker/Dockerfile', push: false, load: true })
    const script = steps(ci.jobs.image)
      .flatMap((s) => s.run ?? [])
      .join('\n')
    expect(script).toContain('/readyz')
    expect(script).toContain('docker compose -f infra/docker/compose.yaml up -d')
    expect(script).toContain('select count(*) from telemetry')
    expect(existsSync(join(REPO_ROOT, 'infra/docker/compose.yaml'))).toBe(true)
  })
})

describe('release workflow', () => {
  const release = readWorkflow('release.yml')

  it('runs on version tags only', () => {
    expect(release.on).toEqual({ push: { tags: ['v*'] } })
  })

  it('runs CI first, then publishes the image built from infra/docker/Dockerfile', () => {
    expect(release.jobs.ci?.uses).toBe('./.github/workflows/ci.yml')
    const image = release.jobs.image
    expect(image?.needs).toBe('ci')
    expect(image?.permissions).toMatchObject({ 'id-token': 'write' })
    const build = findStep(image, 'docker/build-push-action')
    expect(build.with).toMatchObject({
      context: '.',
      file: 'infra/docker/Dockerfile',
      push: true,
      platforms: 'linux/amd64,linux/arm64',
    })
    expect(String(build.with?.tags)).toBe('${{ steps.meta.outputs.tags }}')
    const meta = findStep(image, 'docker/metadata-action')
    expect(String(meta.with?.tags)).toContain('type=semver,pattern=v{{version}}')
    expect(findStep(image, 'aws-actions/configure-aws-credentials').with).toMatchObject({
      'role-to-assume': '${{ vars.AWS_RELEASE_ROLE_ARN }}',
    })
  })

  it('publishes the web app after approval, assets before index.html', () => {
    const web = release.jobs.web
    expect(web?.environment).toBe('production')
    expect(web?.needs).toEqual(['ci', 'image'])
    const script = steps(web)
      .flatMap((s) => s.run ?? [])
      .join('\n')
    expect(script).toContain('pnpm --filter @fms/web build')
    expect(script).toContain(`npm install -g ${readPackageJson('.').packageManager}`)
    expect(script.indexOf('--exclude index.html')).toBeLessThan(script.indexOf('index.html" \\'))
    expect(script).toContain('create-invalidation')
  })
})

describe('every workflow', () => {
  it('pins each action to a major version', () => {
    for (const file of readdirSync(WORKFLOWS_DIR)) {
      const text = readFileSync(join(WORKFLOWS_DIR, file), 'utf8')
      const workflow = parse(text) as Workflow
      for (const job of Object.values(workflow.jobs)) {
        for (const step of steps(job)) {
          if (step.uses) expect(step.uses, file).toMatch(/^[\w-]+\/[\w-]+@v\d+$/)
        }
      }
    }
  })
})
