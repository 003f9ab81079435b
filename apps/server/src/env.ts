import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseTrustedDomains } from '@fms/api'
import { LIVE_HUB_DEFAULTS } from '@fms/live'
import { z } from 'zod'
import { parseTrustProxy, type TrustProxy } from './client-address.ts'
import { weakDatabasePasswordReason, weakSecretReason } from './secrets.ts'

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
  INGEST_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(5_000_000),
  HISTORY_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_000_000_000)
    .default(100_000_000),
  INGEST_MAX_POINTS: z.coerce.number().int().min(1).max(100_000).default(10_000),
  INGEST_RATE_LIMIT: z.coerce.number().min(0).max(100_000).default(50),
  INGEST_MAX_FUTURE_SEC: z.coerce.number().int().min(0).max(86_400).default(300),
  INGEST_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  INGEST_QUEUE_MAX_ROWS: z.coerce.number().int().min(1000).max(10_000_000).default(200_000),
  INGEST_BATCH_MAX_ROWS: z.coerce.number().int().min(100).max(200_000).default(20_000),
  INGEST_WRITE_TIMEOUT_SEC: z.coerce.number().int().min(1).max(300).default(15),
  DEVICE_TOKEN_CACHE_SEC: z.coerce.number().min(0).max(3600).default(5),
  DEVICE_TOKEN_ROTATION_GRACE_SEC: z.coerce
    .number()
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400),
  API_KEY_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  LIVE_FLUSH_MS: z.coerce.number().int().min(10).max(5000).default(LIVE_HUB_DEFAULTS.flushMs),
  LIVE_COALESCE_MS: z.coerce.number().int().min(0).max(1000).default(LIVE_HUB_DEFAULTS.coalesceMs),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value)
      if (typeof parsed !== 'string') return parsed
      ctx.addIssue({ code: 'custom', message: parsed })
      return z.NEVER
    }),
  METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  TRPC_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(50),
  AUTH_REGISTER_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(30),
  AUTH_LOGIN_WINDOW_SEC: z.coerce.number().min(1).max(86_400).default(900),
  WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  WS_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(100),
  WS_AUTH_TIMEOUT_SEC: z.coerce.number().min(0.1).max(600).default(5),
  WS_SESSION_CHECK_SEC: z.coerce.number().min(0.1).max(600).default(5),
  WS_MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(30),
  INGEST_ANON_RATE_LIMIT: z.coerce.number().min(0).max(100_000).default(20),
  INGEST_ANON_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(65_536),
  INGEST_LINGER_MAX_BYTES: z.coerce.number().int().min(0).max(1_000_000_000).default(67_108_864),
  // At most the server's request timeout (30 s from the request's start), which ends it anyway.
  INGEST_LINGER_SEC: z.coerce.number().min(0).max(30).default(30),
  HTTP_KEEPALIVE_TIMEOUT_SEC: z.coerce.number().int().min(1).max(3600).default(5),
  ALERTS_ENABLED: z.enum(['true', 'false']).default('true'),
  ALERTS_TICK_SEC: z.coerce.number().int().min(1).max(3600).default(30),
  ALERTS_LEASE_TTL_SEC: z.coerce.number().min(2).max(300).default(5),
  WEBHOOKS_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false']).default('false'),
  SSO_ALLOW_PRIVATE_ISSUERS: z.enum(['true', 'false']).default('false'),
  SSO_TRUSTED_DOMAINS: ZList.transform((entries, ctx) => {
    try {
      return parseTrustedDomains(entries)
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be comma-separated domains (example.com, *.example.com)',
      })
      return z.NEVER
    }
  }),
  ACTIVITY_REFRESH_SEC: z.coerce.number().min(1).max(3600).default(600),
  MAINTENANCE_CHECK_SEC: z.coerce.number().min(1).max(86_400).default(300),
  REPORT_SCHEDULE_CHECK_SEC: z.coerce.number().min(1).max(3600).default(60),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  ALERTS_RULE_CACHE_SEC: z.coerce.number().min(0).max(3600).default(5),
  MQTT_URL: z
    .url({ protocol: /^(mqtts?|wss?)$/, error: 'must be an mqtt:// or mqtts:// URL' })
    .optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  SMTP_FROM: z.string().min(3).max(200).default('FMS <fms@localhost>'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be the http(s) address users open the app at' })
    .optional(),
  MQTT_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'letters, digits, dash and underscore' })
    .default('fms'),
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
  /** Live frames per subscriber group at most every this many ms. */
  liveFlushMs: number
  /** How long the first news after a live frame waits for more news to join it. */
  liveCoalesceMs: number
  /** Behind load balancers: how far X-Forwarded-For is trusted for the client address. */
  trustProxy: TrustProxy
  /** `/metrics` on the public port needs this bearer token; unset: not served there. */
  metricsToken: string | undefined
  /** An extra listener serving only `/metrics`, without a token (keep it internal). */
  metricsListen: { port: number; host: string } | undefined
  /** Most calls in one batched tRPC request (HTTP) or WebSocket message. */
  maxBatchSize: number
  /** New organizations per client address and hour. */
  registerPerAddressPerHour: number
  /** The window sign-in attempts are counted in (a lock ends with it). */
  loginWindowMs: number
  websocket: {
    maxConnections: number
    maxConnectionsPerAddress: number
    /** A socket that has not presented a valid access token by then is closed. */
    authTimeoutMs: number
    /** How often each signed-in socket's user is checked (removed, demoted: socket closed). */
    sessionCheckMs: number
    maxSubscriptionsPerUser: number
  }
  /** Idle keep-alive; keep it above the load balancer's idle timeout. */
  keepAliveTimeoutMs: number
  /** MQTT broker to take telemetry from (optional), and the topic prefix devices publish under. */
  mqtt: { url: string; topicPrefix: string } | undefined
  /** The rules engine on this node's shards of the committed stream (`alerts/rules-worker.ts`); undefined: disabled. */
  alerts: { tickMs: number; ruleCacheMs: number; leaseTtlMs: number } | undefined
  /** Webhooks may go to loopback/private addresses (local receivers in development only). */
  webhooksAllowPrivateNetworks: boolean
  /**
   * Single sign-on: domains any organization may claim without a verified admin address there
   * (`SSO_TRUSTED_DOMAINS`), and whether providers may be on non-public addresses
   * (`SSO_ALLOW_PRIVATE_ISSUERS`, default false). See docs/sso.md.
   */
  sso: { trustedDomains: string[]; allowPrivateIssuers: boolean }
  /** After `tokens.rotate`, the old device secret keeps working this long. */
  deviceTokenRotationGraceSec: number
  /** Calls one integrator API key may make per minute (REST API). */
  apiKeyRatePerMin: number
  /** How often the activity buckets behind daily summaries catch up with new points. */
  activityRefreshMs: number
  /** How often schedules are checked for vehicles due soon or overdue (maintenance_due alerts). */
  maintenanceCheckMs: number
  /** How often report schedules are checked for a report due (with email on only). */
  reportScheduleCheckMs: number
  /** Audit rows older than this many days are pruned (`AUDIT_RETENTION_DAYS`). */
  auditRetentionDays: number
  /**
   * Outgoing email (`SMTP_URL`, `SMTP_FROM`); undefined: email is off. `appUrl` is where links in
   * emails point (`PUBLIC_URL`, default this server's own address).
   */
  email: { smtpUrl: string; from: string } | undefined
  /** The address users open the app at, for links in emails (`PUBLIC_URL`); undefined: derived. */
  publicUrl: string | undefined
  ingest: {
    maxBodyBytes: number
    /** Largest history file imported (GPX, CSV). */
    maxImportBytes: number
    maxPoints: number
    /**
     * Requests per second per device (burst: twice that); a token's ceiling is this times the
     * devices it serves. 0 disables both.
     */
    ratePerSec: number
    maxFutureMs: number
    maxAgeMs: number
    maxQueueRows: number
    maxBatchRows: number
    writeTimeoutMs: number
    tokenCacheMs: number
    /** Requests without an Authorization header (token in the body): per client address. */
    anonymousRatePerSec: number
    anonymousMaxBodyBytes: number
    /**
     * After answering before the body was read (401, 413, 415, 429), the rest of the body is read
     * and discarded up to this many bytes and this long, so the client sees the answer.
     */
    linger: LingerLimits
  }
}

export interface LingerLimits {
  maxBytes: number
  /** The whole linger. */
  maxMs: number
  /** Between two reads. */
  idleMs: number
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
  if (e.NODE_ENV === 'production') {
    const problems = productionProblems(e)
    if (problems.length > 0) throw new ConfigError(`Invalid environment: ${problems.join('; ')}`)
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
    liveFlushMs: e.LIVE_FLUSH_MS,
    liveCoalesceMs: e.LIVE_COALESCE_MS,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    metricsListen:
      e.METRICS_PORT === undefined ? undefined : { port: e.METRICS_PORT, host: e.METRICS_HOST },
    maxBatchSize: e.TRPC_MAX_BATCH,
    registerPerAddressPerHour: e.AUTH_REGISTER_LIMIT,
    loginWindowMs: e.AUTH_LOGIN_WINDOW_SEC * 1000,
    websocket: {
      maxConnections: e.WS_MAX_CONNECTIONS,
      maxConnectionsPerAddress: e.WS_MAX_CONNECTIONS_PER_IP,
      authTimeoutMs: e.WS_AUTH_TIMEOUT_SEC * 1000,
      sessionCheckMs: e.WS_SESSION_CHECK_SEC * 1000,
      maxSubscriptionsPerUser: e.WS_MAX_SUBSCRIPTIONS_PER_USER,
    },
    keepAliveTimeoutMs: e.HTTP_KEEPALIVE_TIMEOUT_SEC * 1000,
    mqtt: e.MQTT_URL ? { url: e.MQTT_URL, topicPrefix: e.MQTT_TOPIC_PREFIX } : undefined,
    alerts:
      e.ALERTS_ENABLED === 'true'
        ? {
            tickMs: e.ALERTS_TICK_SEC * 1000,
            ruleCacheMs: e.ALERTS_RULE_CACHE_SEC * 1000,
            leaseTtlMs: e.ALERTS_LEASE_TTL_SEC * 1000,
          }
        : undefined,
    webhooksAllowPrivateNetworks: e.WEBHOOKS_ALLOW_PRIVATE_NETWORKS === 'true',
    sso: {
      trustedDomains: e.SSO_TRUSTED_DOMAINS,
      allowPrivateIssuers: e.SSO_ALLOW_PRIVATE_ISSUERS === 'true',
    },
    deviceTokenRotationGraceSec: e.DEVICE_TOKEN_ROTATION_GRACE_SEC,
    apiKeyRatePerMin: e.API_KEY_RATE_LIMIT,
    activityRefreshMs: e.ACTIVITY_REFRESH_SEC * 1000,
    maintenanceCheckMs: e.MAINTENANCE_CHECK_SEC * 1000,
    reportScheduleCheckMs: e.REPORT_SCHEDULE_CHECK_SEC * 1000,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    email: e.SMTP_URL ? { smtpUrl: e.SMTP_URL, from: e.SMTP_FROM } : undefined,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    ingest: {
      maxBodyBytes: e.INGEST_MAX_BODY_BYTES,
      maxImportBytes: e.HISTORY_IMPORT_MAX_BYTES,
      maxPoints: e.INGEST_MAX_POINTS,
      ratePerSec: e.INGEST_RATE_LIMIT,
      maxFutureMs: e.INGEST_MAX_FUTURE_SEC * 1000,
      maxAgeMs: e.INGEST_MAX_AGE_DAYS * 86_400_000,
      maxQueueRows: e.INGEST_QUEUE_MAX_ROWS,
      maxBatchRows: e.INGEST_BATCH_MAX_ROWS,
      writeTimeoutMs: e.INGEST_WRITE_TIMEOUT_SEC * 1000,
      tokenCacheMs: e.DEVICE_TOKEN_CACHE_SEC * 1000,
      anonymousRatePerSec: e.INGEST_ANON_RATE_LIMIT,
      anonymousMaxBodyBytes: e.INGEST_ANON_MAX_BODY_BYTES,
      linger: {
        maxBytes: e.INGEST_LINGER_MAX_BYTES,
        maxMs: e.INGEST_LINGER_SEC * 1000,
        idleMs: Math.min(5000, e.INGEST_LINGER_SEC * 1000),
      },
    },
  }
}

/**
 * In production every secret must be set, unpublished and random: a secret that appears in the
 * repository (compose defaults, docs, tests) lets anyone who reads it sign in as anyone.
 */
function productionProblems(e: z.infer<typeof ZEnv>): string[] {
  const problems: string[] = []
  if (!e.JWT_SECRET) problems.push('JWT_SECRET is required in production')
  else {
    const reason = weakSecretReason(e.JWT_SECRET)
    if (reason) problems.push(`JWT_SECRET ${reason} (generate one: openssl rand -base64 48)`)
  }
  const metricsReason = e.METRICS_TOKEN ? weakSecretReason(e.METRICS_TOKEN) : null
  if (metricsReason) {
    problems.push(`METRICS_TOKEN ${metricsReason} (generate one: openssl rand -base64 48)`)
  }
  const databaseReason = e.DATABASE_URL ? weakDatabasePasswordReason(e.DATABASE_URL) : null
  if (databaseReason) problems.push(`DATABASE_URL ${databaseReason}`)
  if (e.SMTP_URL && !e.PUBLIC_URL) {
    // Every emailed link (sign-up, reset, alerts, unsubscribe) would name this process's own
    // address, which users behind a proxy or load balancer cannot open.
    problems.push('PUBLIC_URL is required in production when SMTP_URL is set (the links in emails)')
  }
  return problems
}
