import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type StubIngest, startStubIngest } from './testing/stub-ingest.ts'

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))

async function runCli(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: PACKAGE_DIR },
    )
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string }
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }
  }
}

describe('cli', { timeout: 30_000 }, () => {
  it('prints usage naming every flag and exits 0 on --help', async () => {
    const { code, stdout, stderr } = await runCli(['--help'])
    expect(code).toBe(0)
    expect(stderr).toBe('')
    for (const flag of ['--server', '--email', '--password', '--token', '--devices']) {
      expect(stdout).toContain(flag)
    }
    for (const flag of ['--vehicles', '--rate', '--duration', '--seed', '--json', '--help']) {
      expect(stdout).toContain(flag)
    }
    for (const flag of ['--center', '--radius', '--anomalies', '--anomaly-every', '--state']) {
      expect(stdout).toContain(flag)
    }
  })

  it('exits 2 with one error line and a --help hint on an unknown flag', async () => {
    const { code, stdout, stderr } = await runCli(['--bogus'])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe('fms-sim: unknown flag --bogus\nrun with --help to see the flags\n')
  })

  it('exits 2 on a bad value', async () => {
    const { code, stderr } = await runCli(['--vehicles', 'many'])
    expect(code).toBe(2)
    expect(stderr).toContain("--vehicles must be a whole number from 1 to 100000, got 'many'")
  })

  it('exits 2 naming what is missing when neither credentials nor a token are given', async () => {
    const { code, stderr } = await runCli(['--vehicles', '3'])
    expect(code).toBe(2)
    expect(stderr).toContain('give --email and --password (to provision) or --token and --devices')
  })

  describe('with --token and --devices', () => {
    let stub: StubIngest
    let dir: string
    let devicesFile: string

    beforeAll(async () => {
      stub = await startStubIngest()
      dir = await mkdtemp(join(tmpdir(), 'fms-sim-cli-'))
      devicesFile = join(dir, 'devices.txt')
      const ids = [1, 2].map((i) => `00000000-0000-4000-8000-00000000000${i}  SIM-0000${i}`)
      await writeFile(devicesFile, `# device id, vehicle\n${ids.join('\n')}\n`)
    })

    afterAll(async () => {
      await stub.close()
      await rm(dir, { recursive: true, force: true })
    })

    it('drives the vehicles and prints only the JSON summary on stdout', async () => {
      const args = ['--server', stub.url, '--token', stub.token, '--devices', devicesFile]
      const { code, stdout, stderr } = await runCli([
        ...args,
        ...['--vehicles', '2', '--rate', '2', '--duration', '2', '--seed', '1', '--json'],
      ])
      expect(code).toBe(0)
      expect(JSON.parse(stdout)).toMatchObject({
        vehicles: 2,
        generated: 8,
        acknowledged: 8,
        seed: 1,
      })
      const events = stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string })
      expect(events.some((event) => event.type === 'log')).toBe(true)
      expect(stub.stored.size).toBe(8)
    })

    it('exits 1 when the server refuses the token', async () => {
      const args = ['--server', stub.url, '--token', 'fmd_revoked', '--devices', devicesFile]
      const { code, stdout } = await runCli([...args, '--vehicles', '2', '--duration', '30'])
      expect(code).toBe(1)
      expect(stdout).toContain('stopped: HTTP 401')
    })

    it('exits 2 when the file lists fewer devices than --vehicles', async () => {
      const args = ['--server', stub.url, '--token', stub.token, '--devices', devicesFile]
      const { code, stderr } = await runCli([...args, '--vehicles', '3'])
      expect(code).toBe(2)
      expect(stderr).toContain(`--vehicles 3 needs as many devices, but ${devicesFile} lists 2`)
    })
  })
})
