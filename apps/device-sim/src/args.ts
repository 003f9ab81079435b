import { parseArgs } from 'node:util'
import { z } from 'zod'

/** Defaults shared by the parser and the usage text, so the two cannot drift apart. */
export const DEFAULTS = {
  server: 'http://localhost:4000',
  vehicles: 10,
  rate: 1,
  duration: 60,
} as const

/** Accepted ranges for the numeric flags (inclusive, except the rate's lower bound). */
export const LIMITS = {
  vehicles: { min: 1, max: 100_000 },
  rate: { max: 100 },
  duration: { min: 1, max: 604_800 },
  seed: { min: 0, max: 2 ** 32 - 1 },
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
  .transform(({ devices, duration, ...rest }) => ({
    ...rest,
    devicesFile: devices,
    durationSec: duration,
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
