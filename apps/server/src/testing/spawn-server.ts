import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_JWT_SECRET, TEST_METRICS_TOKEN } from './server.ts'

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'main.ts')

export interface SpawnedServer {
  child: ChildProcess
  url: string
  output(): string
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string | null>
}

/** Starts `main.ts` as its own process (so it can be killed) and resolves once it listens. */
export function spawnServer(env: Record<string, string> = {}): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      FMS_DATA_DIR: 'memory://',
      JWT_SECRET: TEST_JWT_SECRET,
      METRICS_TOKEN: TEST_METRICS_TOKEN,
      // Test files register many organizations from one address; the limit has its own test.
      AUTH_REGISTER_LIMIT: '100000',
      FMS_WEB_DIST: '/nonexistent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  )
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start: ${output}`))
    }, 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /"server listening","url":"([^"]+)"/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({ child, url: match[1], output: () => output, exited })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before listening: ${output}`))
    })
  })
}
