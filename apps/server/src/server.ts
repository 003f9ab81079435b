import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ApiDeps, appRouter, MemoryAttemptLimiter } from '@fms/api'
import { createJwtService, deriveSecretKey } from '@fms/auth'
import { createDb, type DbHandle } from '@fms/db'
import { createRedisLiveBus, InProcessLiveBus, LiveHub } from '@fms/live'
import { createHTTPHandler } from '@trpc/server/adapters/standalone'
import { startActivityRefresher } from './activity.ts'
import { createWebhookDispatcher } from './alerts/webhooks.ts'
import { startAuditPruner } from './audit-pruner.ts'
import { createClientAddress } from './client-address.ts'
import { compressAnswer } from './compress.ts'
import { createHttpContextFactory } from './context.ts'
import type { ServerConfig } from './env.ts'
import { isHistoryPath, routeHistory } from './history/index.ts'
import { createIngestion } from './ingest/index.ts'
import { OSMAND_PATH_PREFIX } from './ingest/osmand.ts'
import { errorFields, logger } from './logger.ts'
import { startMailer } from './mailer.ts'
import { startMaintenanceChecker } from './maintenance.ts'
import { startNotifier } from './notifier.ts'
import { RedisAttemptLimiter } from './redis-attempt-limiter.ts'
import { startReportScheduler } from './report-scheduler.ts'
import { DAILY_CSV_PATH, handleDailyCsv } from './reports-csv.ts'
import { createRestApi } from './rest/index.ts'
import { handleCors, setSecurityHeaders } from './security.ts'
import { sendJson } from './send-json.ts'
import { handleSso, SSO_CALLBACK_PATH, SSO_START_PATH } from './sso.ts'
import { serveStatic } from './static.ts'
import { handleUnsubscribe, UNSUBSCRIBE_PATH } from './unsubscribe.ts'
import { attachWebSockets } from './ws.ts'

export interface RunningServer {
  url: string
  port: number
  /** The internal metrics listener's port, when `METRICS_PORT` is set. */
  metricsPort: number | undefined
  db: DbHandle
  /** Stops accepting, tells WebSocket clients to reconnect, finishes in-flight work, closes the DB. */
  close(): Promise<void>
}

const VERSION = '0.1.0'
const SHUTDOWN_GRACE_MS = 10_000

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const db = await createDb({ url: config.databaseUrl, dataDir: config.dataDir })
  await db.migrate()
  const bus = config.redisUrl
    ? await createRedisLiveBus(config.redisUrl, (message, error) =>
        logger.warn(message, errorFields(error)),
      )
    : new InProcessLiveBus()
  const live = new LiveHub(bus, {
    flushMs: config.liveFlushMs,
    coalesceMs: config.liveCoalesceMs,
  })
  // With several nodes the attempt counters live in Redis, so guesses spread over nodes add up.
  const authLimiter = config.redisUrl
    ? await RedisAttemptLimiter.connect(config.redisUrl)
    : new MemoryAttemptLimiter()
  const clientAddress = createClientAddress(config.trustProxy)
  // Links in emails; the port is known only once listening, so a derived address is filled then.
  const emailSettings = config.email
    ? {
        appUrl: config.publicUrl ?? '',
        linkSecret: createHmac('sha256', config.jwtSecret).update('fms-email-links').digest('hex'),
      }
    : undefined
  const deps: ApiDeps = {
    db: db.db,
    jwt: createJwtService({ secret: config.jwtSecret, accessTtlSec: config.accessTokenTtlSec }),
    authLimiter,
    authLimits: {
      registerPerAddress: config.registerPerAddressPerHour,
      loginWindowMs: config.loginWindowMs,
    },
    refreshTokenTtlSec: config.refreshTokenTtlSec,
    live,
    allowPrivateWebhooks: config.webhooksAllowPrivateNetworks,
    deviceTokenRotationGraceSec: config.deviceTokenRotationGraceSec,
    email: emailSettings,
    apiKeyRateLimit: { limit: config.apiKeyRatePerMin, windowMs: 60_000 },
    shareLinkKey: createHmac('sha256', config.jwtSecret).update('fms-share-links').digest('hex'),
    publicUrl: config.publicUrl,
    // TOTP secrets are sealed with a key derived from JWT_SECRET: changing it turns two-factor
    // sign-in off in effect for everyone (docs/two-factor.md).
    secretKey: deriveSecretKey(config.jwtSecret, 'database-secrets'),
    // Single sign-on client secrets: the same JWT_SECRET, a key of their own (another purpose).
    ssoKey: deriveSecretKey(config.jwtSecret, 'sso-client-secrets'),
    ssoTrustedDomains: config.sso.trustedDomains,
    ssoAllowPrivateIssuers: config.sso.allowPrivateIssuers,
  }
  const ingest = createIngestion(config, db, live, clientAddress)
  live.observer = ingest.metrics.liveObserver
  const historyDeps = {
    db: db.db,
    jwt: deps.jwt,
    writer: ingest.writer,
    limits: config.ingest,
    maxImportBytes: config.ingest.maxImportBytes,
  }
  await ingest.startMqtt()
  const webhooks = createWebhookDispatcher(db.db, {
    allowPrivateNetworks: config.webhooksAllowPrivateNetworks,
    onError: (error) => logger.error('webhook delivery failed', errorFields(error)),
  })
  const activity = startActivityRefresher(db.db, {
    intervalMs: config.activityRefreshMs,
    onRun: (marks, seconds) => ingest.metrics.observeActivityRefresh(marks, seconds),
  })
  const maintenance = startMaintenanceChecker(db.db, live, {
    intervalMs: config.maintenanceCheckMs,
    isEmailEnabled: config.email !== undefined,
  })
  const auditPruner = startAuditPruner(db.db, {
    retentionDays: config.auditRetentionDays,
    intervalMs: 3_600_000,
  })
  const mailer = config.email ? startMailer(db.db, config.email) : undefined
  const notifier = startNotifier(db.db, emailSettings)
  // Without email there is nothing to send: schedules stay editable, and nothing runs.
  const reportScheduler = emailSettings
    ? startReportScheduler(db.db, emailSettings, { intervalMs: config.reportScheduleCheckMs })
    : undefined
  const rest = createRestApi({
    deps,
    clientAddress,
    corsOrigins: config.corsOrigins,
    maxBodyBytes: config.maxBodyBytes,
    version: VERSION,
  })
  const ssoRoute = {
    deps,
    clientAddress,
    publicUrl: config.publicUrl,
    isProduction: config.env === 'production',
  }
  const startedAt = Date.now()
  let isShuttingDown = false

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: config.maxBodyBytes,
    maxBatchSize: config.maxBatchSize,
    createContext: createHttpContextFactory(deps, clientAddress),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error('trpc procedure failed', { path, ...errorFields(error.cause ?? error) })
      }
    },
  })

  async function isDatabaseReady(): Promise<boolean> {
    return db.ping(1000).then(
      () => true,
      () => false,
    )
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res)
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname
    if (path === '/livez') return sendJson(res, 200, { status: 'ok' })
    if (path === '/readyz') {
      const isReady = !isShuttingDown && (await isDatabaseReady())
      return sendJson(res, isReady ? 200 : 503, { status: isReady ? 'ok' : 'unavailable' })
    }
    if (path === '/api/health') {
      const isDbUp = await isDatabaseReady()
      return sendJson(res, isDbUp ? 200 : 503, {
        status: isDbUp && !isShuttingDown ? 'ok' : 'degraded',
        version: VERSION,
        uptimeSec: Math.round((Date.now() - startedAt) / 1000),
        database: { kind: db.kind, ok: isDbUp },
      })
    }
    if (path === '/api/telemetry') return ingest.handler(req, res)
    if (path.startsWith(OSMAND_PATH_PREFIX)) return ingest.osmand(req, res, url)
    if (path === '/metrics') {
      if (!isMetricsCallAllowed(req.headers.authorization, config.metricsToken)) {
        return sendJson(res, 404, { error: 'Not found' })
      }
      return sendMetrics(res)
    }
    if (path === DAILY_CSV_PATH) {
      if (handleCors(req, res, config.corsOrigins)) return
      return handleDailyCsv(req, res, deps)
    }
    if (isHistoryPath(path)) {
      if (handleCors(req, res, config.corsOrigins)) return
      if (await routeHistory(req, res, path, historyDeps)) return
    }
    if (path === SSO_START_PATH || path === SSO_CALLBACK_PATH) {
      return handleSso(req, res, url, ssoRoute)
    }
    if (path === UNSUBSCRIBE_PATH) return handleUnsubscribe(req, res, db.db, emailSettings)
    if (rest.handles(path)) {
      compressAnswer(req, res)
      return rest.handle(req, res, url)
    }
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      if (handleCors(req, res, config.corsOrigins)) return
      if (req.method === 'GET' && namesSubscription(path)) {
        // Server-sent events would bypass what the WebSocket enforces (token expiry, removed
        // users, subscription caps), so subscriptions are refused here before they start.
        return sendJson(res, 405, {
          error: {
            message: 'Subscriptions run over the WebSocket at /trpc, not over HTTP',
            code: -32005,
            data: { code: 'METHOD_NOT_SUPPORTED', httpStatus: 405 },
          },
        })
      }
      compressAnswer(req, res)
      return trpcHandler(req, res)
    }
    if (config.webDist && !path.startsWith('/api/')) {
      if (await serveStatic(req, res, config.webDist, path)) return
    }
    sendJson(res, 404, { error: 'Not found' })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { url: req.url, ...errorFields(error) })
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' })
      else res.destroy()
    })
  })
  // Slow or stalled clients are cut off instead of holding sockets forever.
  server.headersTimeout = 10_000
  server.requestTimeout = 30_000
  server.keepAliveTimeout = config.keepAliveTimeoutMs

  async function sendMetrics(res: ServerResponse): Promise<void> {
    res.setHeader('Content-Type', ingest.metrics.registry.contentType)
    res.setHeader('Cache-Control', 'no-store')
    res.end(await ingest.metrics.registry.metrics())
  }

  const ws = attachWebSockets({ server, config, deps, clientAddress })
  // The internal metrics listener answers /metrics only, without a token (keep it off the LB).
  const metricsServer = config.metricsListen
    ? createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname
        if (path !== '/metrics') return sendJson(res, 404, { error: 'Not found' })
        sendMetrics(res).catch(() => res.destroy())
      })
    : undefined
  if (metricsServer && config.metricsListen) {
    const { port, host } = config.metricsListen
    await new Promise<void>((resolvePromise, reject) => {
      metricsServer.once('error', reject)
      metricsServer.listen(port, host, () => resolvePromise())
    })
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolvePromise()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const metricsAddress = metricsServer?.address() as AddressInfo | undefined
  if (emailSettings && !emailSettings.appUrl) emailSettings.appUrl = url
  logger.info('server listening', {
    url,
    database: db.kind,
    ...(metricsAddress ? { metricsPort: metricsAddress.port } : {}),
  })

  let closing: Promise<void> | undefined
  async function close(): Promise<void> {
    isShuttingDown = true
    closing ??= (async () => {
      const closed = new Promise<void>((done) => server.close(() => done()))
      metricsServer?.close()
      await ws.close()
      server.closeIdleConnections()
      const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS)
      await closed
      clearTimeout(timer)
      // Every accepted point is committed before the database closes.
      await ingest.close()
      await activity.close()
      await maintenance.close()
      await auditPruner.stop()
      await reportScheduler?.close()
      await notifier.close()
      await mailer?.close()
      await webhooks.close()
      await live.close()
      if (authLimiter instanceof RedisAttemptLimiter) await authLimiter.close()
      await db.close()
      logger.info('server stopped')
    })()
    return closing
  }

  return { url, port, metricsPort: metricsAddress?.port, db, close }
}

/** `/metrics` on the public port: only with `Authorization: Bearer <METRICS_TOKEN>`. */
function isMetricsCallAllowed(header: string | undefined, token: string | undefined): boolean {
  const presented = /^bearer\s+(\S+)$/i.exec(header?.trim() ?? '')?.[1]
  if (!token || !presented) return false
  const given = Buffer.from(presented)
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** True when a `/trpc/<a>,<b>` path names a subscription procedure. */
function namesSubscription(path: string): boolean {
  let names: string[]
  try {
    names = decodeURIComponent(path.slice('/trpc/'.length)).split(',')
  } catch {
    return false // not a procedure path; tRPC answers it
  }
  const procedures = appRouter._def.procedures as Record<string, { _def?: { type?: string } }>
  return names.some((name) => procedures[name]?._def?.type === 'subscription')
}
