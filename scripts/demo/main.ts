/**
 * `pnpm demo`: the server on the embedded database (the same data folder `pnpm start` uses), a
 * demo organization with a few rules and a geofence, and a simulated fleet driving around Berlin
 * until Ctrl-C. It composes two apps, which is why it lives here and not in either of them.
 */
import { fileURLToPath } from 'node:url'
import {
  buildStatePath,
  createApiClient,
  createRandomSeed,
  createReporter,
  DEFAULTS,
  provisionFleet,
  runSimulation,
  watchSignals,
} from '@fms/device-sim'
import { ConfigError, loadConfig, type RunningServer, startServer } from '@fms/server'
import { DEMO_ACCOUNT, DEMO_CENTER, ensureDemoAccount, seedDemoRules } from './seed.ts'

const VEHICLES = 30
/** A week: the longest run; the demo ends with Ctrl-C. */
const DURATION_SEC = 604_800
const SERVER_DATA_DIR = fileURLToPath(new URL('../../apps/server/.data/pglite', import.meta.url))

const reporter = createReporter({ stdout: process.stdout, stderr: process.stderr, isJson: false })

/** The server's environment: what the user set, else port 4000 and the server's data folder. */
function readDemoEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PORT: env.PORT || '4000', FMS_DATA_DIR: env.FMS_DATA_DIR || SERVER_DATA_DIR }
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
    const accessToken = await ensureDemoAccount(server.url)
    const seeded = await seedDemoRules(createApiClient(server.url, accessToken))
    if (seeded > 0) reporter.log(`created ${seeded} demo rules and the Mitte depot geofence`)
    const fleet = await provisionFleet({
      server: server.url,
      email: DEMO_ACCOUNT.email,
      password: DEMO_ACCOUNT.password,
      vehicles: VEHICLES,
      statePath: buildStatePath(server.url, DEMO_ACCOUNT.email),
    })
    process.stderr.write(
      `\n  FMS demo: http://localhost:${server.port}\n` +
        `  sign in as ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}\n` +
        `  ${VEHICLES} simulated vehicles drive around Berlin (with the odd anomaly); Ctrl-C stops.\n\n`,
    )
    const summary = await runSimulation({
      server: server.url,
      token: fleet.token,
      deviceIds: fleet.deviceIds,
      rateHz: DEFAULTS.rate,
      durationSec: DURATION_SEC,
      seed: createRandomSeed(),
      center: DEMO_CENTER,
      radiusKm: DEFAULTS.radiusKm,
      anomalies: {
        kinds: ['overspeed', 'high_rpm', 'overheat', 'fuel_drop', 'silent'],
        meanIntervalSec: 180,
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
