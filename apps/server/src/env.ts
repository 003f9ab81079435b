import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const DEFAULT_WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist')

const ZList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )

/** Every environment variable the server reads; `process.env` is read nowhere else. */
const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, { error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  FMS_DATA_DIR: z.string().min(1).default('./.data/pglite'),
  JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  ACCESS_TOKEN_TTL_SEC: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SEC: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86_400)
    .default(30 * 86_400),
  CORS_ORIGINS: ZList.pipe(
    z.array(
      z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of http(s) origins' }),
    ),
  ),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(1_000_000),
  FMS_WEB_DIST: z.string().optional(),
})

export interface ServerConfig {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  jwtSecret: string
  /** True when no JWT_SECRET was given and a throwaway one was generated (development only). */
  isJwtSecretEphemeral: boolean
  accessTokenTtlSec: number
  refreshTokenTtlSec: number
  corsOrigins: string[]
  redisUrl: string | undefined
  maxBodyBytes: number
  /** The built web app to serve at `/`, when present. */
  webDist: string | undefined
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses and validates the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const parsed = ZEnv.safeParse(blankless)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`)
  }
  const e = parsed.data
  if (!e.JWT_SECRET && e.NODE_ENV === 'production') {
    throw new ConfigError('Invalid environment: JWT_SECRET is required in production')
  }
  const webDist = e.FMS_WEB_DIST ?? (existsSync(DEFAULT_WEB_DIST) ? DEFAULT_WEB_DIST : undefined)
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.FMS_DATA_DIR,
    jwtSecret: e.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    isJwtSecretEphemeral: !e.JWT_SECRET,
    accessTokenTtlSec: e.ACCESS_TOKEN_TTL_SEC,
    refreshTokenTtlSec: e.REFRESH_TOKEN_TTL_SEC,
    corsOrigins: e.CORS_ORIGINS.map((origin) => new URL(origin).origin),
    redisUrl: e.REDIS_URL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    webDist,
  }
}
