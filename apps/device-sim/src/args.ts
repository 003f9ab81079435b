import { parseArgs } from 'node:util'
import { z } from 'zod'
import { ANOMALY_KINDS, type AnomalyKind } from './anomalies.ts'

/** Defaults shared by the parser and the usage text, so the two cannot drift apart. */
export const DEFAULTS = {
  server: 'http://localhost:4000',
  vehicles: 10,
  rate: 1,
  duration: 60,
  /** Berlin, Alexanderplatz: the README's curl example posts there too. */
  center: { lat: 52.52, lon: 13.405 },
  radiusKm: 4,
  anomalyEverySec: 900,
} as const

/** Accepted ranges for the numeric flags (inclusive, except the rate's lower bound). */
export const LIMITS = {
  vehicles: { min: 1, max: 100_000 },
  rate: { max: 100 },
  duration: { min: 1, max: 604_800 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  radiusKm: { min: 0.5, max: 50 },
  anomalyEverySec: { min: 10, max: 604_800 },
  /** The local street plane is accurate away from the poles. */
  lat: { max: 80 },
} as const

const OPTIONS = {
  server: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  token: { type: 'string' },
  devices: { type: 'string' },
  vehicles: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  seed: { type: 'string' },
  center: { type: 'string' },
  radius: { type: 'string' },
  anomalies: { type: 'string' },
  'anomaly-every': { type: 'string' },
  state: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

const PLAIN_NUMBER = /^\d+(\.\d+)?$/

function numberFlag(opts: { flag: string; range: string; isValid: (n: number) => boolean }) {
  return z.string().transform((raw, ctx) => {
    const value = PLAIN_NUMBER.test(raw) ? Number(raw) : Number.NaN
    if (!opts.isValid(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `--${opts.flag} must be ${opts.range}, got '${raw}'`,
      })
      return z.NEVER
    }
    return value
  })
}

function wholeNumberFlag(flag: string, limits: { min: number; max: number }) {
  return numberFlag({
    flag,
    range: `a whole number from ${limits.min} to ${limits.max}`,
    isValid: (n) => Number.isSafeInteger(n) && n >= limits.min && n <= limits.max,
  })
}

function nonEmptyFlag(flag: string) {
  return z.string().min(1, { error: `--${flag} must not be empty` })
}

const ZCenter = z.string().transform((raw, ctx) => {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw)
  const lat = Number(match?.[1])
  const lon = Number(match?.[2])
  if (!match || Math.abs(lat) > LIMITS.lat.max || Math.abs(lon) > 180) {
    ctx.addIssue({
      code: 'custom',
      message: `--center must be LAT,LON in degrees (|LAT| <= ${LIMITS.lat.max}), got '${raw}'`,
    })
    return z.NEVER
  }
  return { lat, lon }
})

const ANOMALY_WORDS = [...ANOMALY_KINDS, 'all', 'none'] as const

const ZAnomalies = z.string().transform((raw, ctx) => {
  const kinds = new Set<AnomalyKind>()
  for (const word of raw.split(',').map((w) => w.trim().toLowerCase())) {
    if (word === 'all') for (const kind of ANOMALY_KINDS) kinds.add(kind)
    else if ((ANOMALY_KINDS as readonly string[]).includes(word)) kinds.add(word as AnomalyKind)
    else if (word !== 'none') {
      ctx.addIssue({
        code: 'custom',
        message: `--anomalies takes a comma-separated list of ${ANOMALY_WORDS.join(', ')}; got '${word}'`,
      })
      return z.NEVER
    }
  }
  return [...kinds]
})

const ZSimArgs = z
  .object({
    server: z
      .url({
        protocol: /^https?$/,
        error: (iss) => `--server must be an http(s) URL, got '${iss.input}'`,
      })
      .default(DEFAULTS.server)
      .transform((url) => url.replace(/\/+$/, '')),
    email: z
      .email({ error: (iss) => `--email must be an email address, got '${iss.input}'` })
      .optional(),
    password: nonEmptyFlag('password').optional(),
    token: nonEmptyFlag('token').optional(),
    devices: nonEmptyFlag('devices').optional(),
    vehicles: wholeNumberFlag('vehicles', LIMITS.vehicles).default(DEFAULTS.vehicles),
    rate: numberFlag({
      flag: 'rate',
      range: `a number of Hz above 0 and at most ${LIMITS.rate.max}`,
      isValid: (n) => n > 0 && n <= LIMITS.rate.max,
    }).default(DEFAULTS.rate),
    duration: wholeNumberFlag('duration', LIMITS.duration).default(DEFAULTS.duration),
    seed: wholeNumberFlag('seed', LIMITS.seed).optional(),
    center: ZCenter.default(DEFAULTS.center),
    radius: numberFlag({
      flag: 'radius',
      range: `a number of km from ${LIMITS.radiusKm.min} to ${LIMITS.radiusKm.max}`,
      isValid: (n) => n >= LIMITS.radiusKm.min && n <= LIMITS.radiusKm.max,
    }).default(DEFAULTS.radiusKm),
    anomalies: ZAnomalies.default([]),
    'anomaly-every': wholeNumberFlag('anomaly-every', LIMITS.anomalyEverySec).default(
      DEFAULTS.anomalyEverySec,
    ),
    state: nonEmptyFlag('state').optional(),
    json: z.boolean().default(false),
  })
  .superRefine((args, ctx) => {
    if ((args.email === undefined) !== (args.password === undefined)) {
      ctx.addIssue({ code: 'custom', message: '--email and --password must be given together' })
    }
    if ((args.token === undefined) !== (args.devices === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: '--token and --devices must be given together (the token posts for those devices)',
      })
    }
    if (args.email !== undefined && args.token !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'use either --email/--password (provision) or --token/--devices, not both',
      })
    }
  })
  .transform(({ devices, duration, radius, state, 'anomaly-every': anomalyEvery, ...rest }) => ({
    ...rest,
    devicesFile: devices,
    durationSec: duration,
    radiusKm: radius,
    anomalyEverySec: anomalyEvery,
    statePath: state,
  }))

export type TSimOptions = z.output<typeof ZSimArgs>

export type TParseSimArgsResult =
  | { kind: 'run'; options: TSimOptions }
  | { kind: 'help' }
  | { kind: 'error'; error: string }

/** Turns node:util parseArgs failures into one short line naming the flag. */
function describeParseError(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const code = (err as { code?: unknown }).code
  const flag = /'(-[^' ]+)/.exec(err.message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) return `unknown flag ${flag}`
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `unexpected argument ${/'[^']*'/.exec(err.message)?.[0] ?? ''} (every value belongs to a flag)`
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    if (err.message.includes('does not take an argument')) return `${flag} does not take a value`
    return `${flag} needs a value (write a value starting with '-' as ${flag}=VALUE)`
  }
  return err.message.split('\n')[0] ?? err.message
}

function readFlags(args: string[]) {
  return parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values
}

/** Parses and validates the simulator's command line (without the node and script entries). */
export function parseSimArgs(argv: readonly string[]): TParseSimArgsResult {
  // `pnpm sim -- --flag` forwards the separator; it carries no meaning here.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv]
  let values: ReturnType<typeof readFlags>
  try {
    values = readFlags(args)
  } catch (err) {
    return { kind: 'error', error: describeParseError(err) }
  }
  if (values.help) return { kind: 'help' }

  const { help: _help, ...flags } = values
  const result = ZSimArgs.safeParse(flags)
  if (!result.success) {
    return { kind: 'error', error: result.error.issues[0]?.message ?? 'invalid arguments' }
  }
  return { kind: 'run', options: result.data }
}
