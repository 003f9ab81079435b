import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_JWT_SECRET } from '@fms/testkit'
import { describe, expect, it } from 'vitest'

const MAIN = join(dirname(fileURLToPath(import.meta.url)), 'main.ts')

/** Starts `main.ts` as its own process and resolves with its URL once it listens. */
function spawnServer(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      FMS_DATA_DIR: 'memory://',
      JWT_SECRET: TEST_JWT_SECRET,
      FMS_WEB_DIST: '/nonexistent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /"server listening","url":"([^"]+)"/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({ child, url: match[1], output: () => output })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
  })
}

describe('graceful shutdown', () => {
  it('stops cleanly with exit code 0 on SIGTERM', async () => {
    const { child, url, output } = await spawnServer()
    expect((await fetch(`${url}/livez`)).status).toBe(200)
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    )
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(output()).toContain('"server stopped"')
  })
})
