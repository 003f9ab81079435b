import { ANOMALY_KINDS } from './anomalies.ts'
import { DEFAULTS, LIMITS } from './args.ts'

const CENTER = `${DEFAULTS.center.lat},${DEFAULTS.center.lon}`

/** The text printed by `--help`. */
export const USAGE = `fms-sim: simulated vehicles posting telemetry to an FMS server

Drives a fleet of simulated vehicles through a street grid around a city centre and posts
their position, speed and engine data to POST /api/telemetry, store-and-forward like a
real tracker. It either provisions what it needs (vehicles SIM-00001..., one device each,
a device token) by signing in as an admin with --email/--password, remembering them for
the next run in a state file; or it uses an existing device token and the device ids
listed in --devices. Also the load generator for benchmarks (see --json).

Usage:
  pnpm sim [flags]
  node --import tsx src/cli.ts [flags]

Connection:
  --server URL       server base URL (default ${DEFAULTS.server})
  --email EMAIL      admin email, used to provision vehicles, devices and a token
  --password PASS    password for --email (give both or neither)
  --state FILE       where provisioning is remembered, token secret included
                     (default .data/sim-<host>-<email hash>.json, mode 0600)
  --token TOKEN      existing device token (fmd_...) instead of provisioning
  --devices FILE     device ids the token serves, one per line (give with --token)

Simulation:
  --vehicles N       vehicles to drive, ${LIMITS.vehicles.min}-${LIMITS.vehicles.max} (default ${DEFAULTS.vehicles})
  --rate HZ          positions per vehicle per second, above 0 up to ${LIMITS.rate.max} (default ${DEFAULTS.rate})
  --duration S       seconds to run, ${LIMITS.duration.min}-${LIMITS.duration.max} (default ${DEFAULTS.duration})
  --seed N           seed for a repeatable run, ${LIMITS.seed.min}-${LIMITS.seed.max} (default: random, printed)
  --center LAT,LON   city centre (default ${CENTER}, Berlin)
  --radius KM        half-width of the street grid, ${LIMITS.radiusKm.min}-${LIMITS.radiusKm.max} (default ${DEFAULTS.radiusKm})
  --anomalies LIST   comma-separated faults for the alert rules to catch:
                     ${ANOMALY_KINDS.join(', ')}, or all / none (default none)
  --anomaly-every S  mean seconds between faults per vehicle, ${LIMITS.anomalyEverySec.min}-${LIMITS.anomalyEverySec.max} (default ${DEFAULTS.anomalyEverySec})

Output:
  --json             stdout: only the end-of-run summary as one JSON object;
                     stderr: progress and messages as JSON lines
  -h, --help         show this help and exit

Progress (every second, stderr): points/s, acknowledged/generated, pending, retried,
request latency p50/p99. Ctrl-C once stops and delivers what is left; twice quits.

Exit codes: 0 every point delivered, 1 failure (provisioning, a refused token, points
left undelivered), 2 bad arguments.
`
