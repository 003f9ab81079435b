import { DEFAULTS, LIMITS } from './args.ts'

/** The text printed by `--help`. */
export const USAGE = `fms-sim: simulated vehicles posting telemetry to an FMS server

Drives a fleet of simulated vehicles that post position, speed and engine data to
POST /api/telemetry. It either provisions what it needs (vehicles, devices, a device
token) by signing in with --email/--password, or uses an existing device token and the
device ids listed in --devices. Also the load generator for benchmarks.

Usage:
  pnpm sim [flags]
  node --import tsx src/cli.ts [flags]

Connection:
  --server URL       server base URL (default ${DEFAULTS.server})
  --email EMAIL      admin email, used to provision vehicles, devices and a token
  --password PASS    password for --email (give both or neither)
  --token TOKEN      existing device token (fmd_...) instead of provisioning
  --devices FILE     file of device ids the token may post for (give with --token)

Simulation:
  --vehicles N       vehicles to drive, ${LIMITS.vehicles.min}-${LIMITS.vehicles.max} (default ${DEFAULTS.vehicles})
  --rate HZ          positions per vehicle per second, above 0 up to ${LIMITS.rate.max} (default ${DEFAULTS.rate})
  --duration S       seconds to run, ${LIMITS.duration.min}-${LIMITS.duration.max} (default ${DEFAULTS.duration})
  --seed N           seed for repeatable routes, ${LIMITS.seed.min}-${LIMITS.seed.max} (default: random)

Output:
  --json             print the end-of-run summary as JSON
  -h, --help         show this help and exit

Exit codes: 0 success, 2 bad arguments.
`
