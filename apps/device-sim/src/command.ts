import type { TSimOptions } from './args.ts'
import { readDeviceIds } from './devices-file.ts'
import type { Reporter } from './output.ts'
import { provisionFleet } from './provision.ts'
import { createRandomSeed } from './random.ts'
import { type RunOptions, runSimulation } from './run.ts'
import { buildStatePath } from './state-file.ts'

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export class UsageError extends Error {
  override name = 'UsageError'
}

/** The token and device ids to post with: provisioned (--email) or given (--token/--devices). */
export async function resolveDevices(
  options: TSimOptions,
  reporter: Reporter,
): Promise<{ token: string; deviceIds: string[]; driverIdentifiers?: string[] }> {
  if (options.token && options.devicesFile) {
    const ids = await readDeviceIds(options.devicesFile)
    if (ids.length < options.vehicles) {
      throw new UsageError(
        `--vehicles ${options.vehicles} needs as many devices, but ${options.devicesFile} lists ${ids.length}`,
      )
    }
    return { token: options.token, deviceIds: ids.slice(0, options.vehicles) }
  }
  if (options.email && options.password) {
    const statePath = options.statePath ?? buildStatePath(options.server, options.email)
    const fleet = await provisionFleet({
      server: options.server,
      email: options.email,
      password: options.password,
      vehicles: options.vehicles,
      statePath,
    })
    reporter.log(
      `${options.vehicles} vehicles ready (created ${fleet.createdVehicles} vehicles and ` +
        `${fleet.createdDevices} devices; ${fleet.isTokenReused ? 'reused the saved' : 'created a new'} ` +
        `device token); state in ${statePath}`,
    )
    return {
      token: fleet.token,
      deviceIds: fleet.deviceIds,
      driverIdentifiers: fleet.driverIdentifiers,
    }
  }
  throw new UsageError(
    'nothing to post as: give --email and --password (to provision) or --token and --devices',
  )
}

/** Ctrl-C once: stop generating and deliver what is left; twice: stop now. */
export function watchSignals(reporter: Reporter) {
  const stop = new AbortController()
  const abort = new AbortController()
  const onSignal = () => {
    if (stop.signal.aborted) {
      reporter.log('stopping now; undelivered points are lost')
      abort.abort()
    } else {
      reporter.log('stopping: delivering what is left (Ctrl-C again to quit at once)')
      stop.abort()
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const dispose = () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  return { stop: stop.signal, abort: abort.signal, dispose }
}

/** `pnpm sim`: resolve devices, drive the fleet, report; returns the exit code. */
export async function runCommand(
  options: TSimOptions,
  reporter: Reporter,
  overrides: Partial<RunOptions> = {},
): Promise<number> {
  let devices: Awaited<ReturnType<typeof resolveDevices>>
  try {
    devices = await resolveDevices(options, reporter)
  } catch (error) {
    reporter.log((error as Error).message)
    return error instanceof UsageError ? EXIT.usage : EXIT.failed
  }
  const seed = options.seed ?? createRandomSeed()
  reporter.log(
    `driving ${devices.deviceIds.length} vehicles at ${options.rate} Hz for ${options.durationSec} s ` +
      `against ${options.server} (seed ${seed}; repeat with --seed ${seed})`,
  )
  const signals = watchSignals(reporter)
  try {
    const summary = await runSimulation({
      server: options.server,
      token: devices.token,
      deviceIds: devices.deviceIds,
      driverIdentifiers: devices.driverIdentifiers,
      rateHz: options.rate,
      durationSec: options.durationSec,
      seed,
      center: options.center,
      radiusKm: options.radiusKm,
      anomalies: { kinds: options.anomalies, meanIntervalSec: options.anomalyEverySec },
      onProgress: reporter.progress,
      log: reporter.log,
      stop: signals.stop,
      abort: signals.abort,
      ...overrides,
    })
    reporter.summary(summary)
    const isComplete = !summary.error && summary.acknowledged === summary.generated
    return isComplete ? EXIT.ok : EXIT.failed
  } finally {
    signals.dispose()
  }
}
