import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig, type RunningServer, startServer } from '@fms/server'
import { createApiClient, readErrorCode } from './api-client.ts'
import { DEFAULTS } from './args.ts'
import { watchSignals } from './command.ts'
import { createReporter } from './output.ts'
import { provisionFleet } from './provision.ts'
import { createRandomSeed } from './random.ts'
import { runSimulation } from './run.ts'
import { buildStatePath } from './state-file.ts'

/**
 * `pnpm demo`: the server on the embedded database (the same data folder `pnpm start` uses),
 * a demo organization and admin, and a simulated fleet driving around Berlin until Ctrl-C.
 */
const DEMO = {
  email: 'demo@example.com',
  password: 'demo-fleet-2026',
  orgName: 'FMS Demo Fleet',
  vehicles: 30,
  /** A week: the longest run; the demo ends with Ctrl-C. */
  durationSec: 604_800,
} as const
const SERVER_DATA_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../server/.data/pglite',
)

const reporter = createReporter({ stdout: process.stdout, stderr: process.stderr, isJson: false })

/** The server's environment: what the user set, else port 4000 and the server's data folder. */
function readDemoEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PORT: env.PORT || '4000', FMS_DATA_DIR: env.FMS_DATA_DIR || SERVER_DATA_DIR }
}

/** Signs in as the demo admin, registering the demo organization on the first run. */
async function ensureDemoAccount(server: string): Promise<void> {
  const api = createApiClient(server)
  try {
    await api.auth.login.mutate({ email: DEMO.email, password: DEMO.password })
  } catch (error) {
    if (readErrorCode(error) !== 'UNAUTHORIZED') throw error
    try {
      await api.auth.register.mutate({ ...DEMO })
    } catch (registerError) {
      if (readErrorCode(registerError) !== 'CONFLICT') throw registerError
      throw new Error(
        `${DEMO.email} exists with another password; sign in with yours, or remove apps/server/.data to start afresh`,
      )
    }
  }
}

async function startDemoServer(): Promise<RunningServer> {
  const config = loadConfig(readDemoEnv())
  if (!config.webDist)
    reporter.log('the web app is not built (pnpm --filter @fms/web build): API only')
  try {
    return await startServer(config)
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`port ${config.port} is in use: stop what runs there or set PORT`)
    }
    throw error
  }
}

async function main(): Promise<void> {
  const server = await startDemoServer()
  const signals = watchSignals(reporter)
  try {
    await ensureDemoAccount(server.url)
    const fleet = await provisionFleet({
      server: server.url,
      email: DEMO.email,
      password: DEMO.password,
      vehicles: DEMO.vehicles,
      statePath: buildStatePath(server.url, DEMO.email),
    })
    process.stderr.write(
      `\n  FMS demo: http://localhost:${server.port}\n` +
        `  sign in as ${DEMO.email} / ${DEMO.password}\n` +
        `  ${DEMO.vehicles} simulated vehicles drive around Berlin (with the odd anomaly); Ctrl-C stops.\n\n`,
    )
    const summary = await runSimulation({
      server: server.url,
      token: fleet.token,
      deviceIds: fleet.deviceIds,
      rateHz: DEFAULTS.rate,
      durationSec: DEMO.durationSec,
      seed: createRandomSeed(),
      center: DEFAULTS.center,
      radiusKm: DEFAULTS.radiusKm,
      anomalies: {
        kinds: ['overspeed', 'high_rpm', 'overheat', 'fuel_drop', 'silent'],
        meanIntervalSec: 600,
      },
      drainTimeoutMs: 5000,
      onProgress: reporter.progress,
      log: reporter.log,
      stop: signals.stop,
      abort: signals.abort,
    })
    reporter.summary(summary)
  } finally {
    signals.dispose()
    await server.close()
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof ConfigError ? error.message : (error as Error).stack
    reporter.log(`demo failed: ${message ?? String(error)}`)
    process.exit(1)
  },
)
