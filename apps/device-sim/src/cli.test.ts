import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

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

  it('says the engine is not there yet and exits 0 on valid arguments', async () => {
    const { code, stdout } = await runCli(['--vehicles', '3'])
    expect(code).toBe(0)
    expect(stdout).toContain('the simulation engine arrives with the device-simulator issue')
  })
})
