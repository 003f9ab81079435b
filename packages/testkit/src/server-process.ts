import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'

/** The JWT secret of every server the testkit starts (tests may sign their own tokens with it). */
export const TEST_JWT_SECRET = 'fms-test-secret-'.padEnd(48, 'x')
/** `/metrics` needs a bearer token on the public port; test servers use this one. */
export const TEST_METRICS_TOKEN = 'fms-test-metrics-token'

/** The settings every test server starts with; `env` overrides them. */
export const TEST_SERVER_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'test',
  PORT: '0',
  HOST: '127.0.0.1',
  FMS_DATA_DIR: 'memory://',
  JWT_SECRET: TEST_JWT_SECRET,
  METRICS_TOKEN: TEST_METRICS_TOKEN,
  // Test files register many organizations from one address; the limit has its own test.
  AUTH_REGISTER_LIMIT: '100000',
  FMS_WEB_DIST: '/nonexistent',
  // The test identity provider listens on 127.0.0.1, and tests claim `*.example` domains for
  // single sign-on from admins whose address is unverified (email is off).
  SSO_ALLOW_PRIVATE_ISSUERS: 'true',
  SSO_TRUSTED_DOMAINS: '*.example',
}

const OUTPUT_LIMIT = 256 * 1024
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 15_000

export interface SpawnedServer {
  child: ChildProcess
  url: string
  /** What the process has written so far (the last 256 KiB). */
  output(): string
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string | null>
  /** SIGTERM (a clean shutdown), then SIGKILL if it has not exited within 15 s. */
  stop(): Promise<number | string | null>
}

export interface SpawnOptions {
  /** Server settings over `TEST_SERVER_ENV`. */
  env?: Record<string, string>
  /**
   * The command and arguments that start the server. Default: the `fms-server` command of the
   * calling package's dependencies (`node_modules/.bin`), which is how another app runs it.
   */
  command?: readonly [string, ...string[]]
}

/**
 * Starts the server as its own process (so it can be signalled or killed, and so no app imports
 * another) and resolves with its URL once it listens.
 */
export function spawnServer(options: SpawnOptions = {}): Promise<SpawnedServer> {
  const [command, ...args] = options.command ?? ['fms-server']
  const path = [join(process.cwd(), 'node_modules', '.bin'), process.env.PATH].join(':')
  const child = spawn(command, args, {
    env: { PATH: path, ...TEST_SERVER_ENV, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // A test run that ends (or crashes) without stopping its server does not leave it running.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal))
    child.once('error', () => resolve(null))
  }).finally(() => process.off('exit', killOnExit))
  let output = ''
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    try {
      return await exited
    } finally {
      clearTimeout(timer)
    }
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms: ${output}`))
    }, START_TIMEOUT_MS)
    let url: string | undefined
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_LIMIT)
      if (url) return
      const match = /"server listening","url":"([^"]+)"/.exec(output)
      if (match?.[1]) {
        url = match[1]
        clearTimeout(timer)
        resolve({ child, url, output: () => output, exited, stop })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`could not run ${command}: ${error.message}`))
    })
    void exited.then((code) => {
      clearTimeout(timer)
      if (!url) reject(new Error(`server exited (${code}) before listening: ${output}`))
    })
  })
}
