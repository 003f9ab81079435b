// Server-only entry: the router, its context and the error table. Browsers import `type AppRouter`
// from here and runtime code only from `@fms/api/schemas`.

export * from '@fms/live'
export type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'
export { type AuthenticatedUser, authenticateAccessToken } from './authenticate.ts'
export {
  type ApiDeps,
  bearerToken,
  type Context,
  createInnerContext,
  type RequestInfo,
} from './context.ts'
export { APP_ERRORS, AppError, type AppErrorCode } from './errors.ts'
export { pinnedLookup } from './pinned-lookup.ts'
export {
  type AttemptLimiter,
  type AttemptRule,
  addressKey,
  MemoryAttemptLimiter,
} from './rate-limit.ts'
export { callRestRoute, problem, type RestProblem, toProblem } from './rest/call.ts'
export { buildOpenApiDocument } from './rest/openapi.ts'
export { matchRestRoute, REST_BASE_PATH, REST_ROUTES, type RestRoute } from './rest/routes.ts'
export { type AppRouter, appRouter, createCaller } from './root.ts'
export { catchUpOrgActivity, refreshActivity } from './services/activity.ts'
export * from './services/alert-emails.ts'
export {
  toAlertEvent,
  toAlertUpsert,
  toEngineGeofence,
  toLiveAlert,
  toRuleConfig,
} from './services/alert-rows.ts'
export { type AuthLimits, DEFAULT_AUTH_LIMITS } from './services/auth.ts'
export * from './services/email-render.ts'
export { HISTORY_EXPORT_PAGE_POINTS, openHistoryExport } from './services/history-export.ts'
export { escapeXml, HISTORY_CSV_COLUMNS } from './services/history-formats.ts'
export { findSchedulesDue } from './services/maintenance.ts'
export {
  queueAlertNotifications,
  readUnsubscribeToken,
  signUnsubscribeToken,
  type UnsubscribeTarget,
} from './services/notifications.ts'
export { DAILY_CSV_PIECE_VEHICLES, openDailyCsv } from './services/report-csv.ts'
export { countsSent } from './services/reports.ts'
export {
  buildScheduledReport,
  renderScheduledReportEmails,
} from './services/scheduled-report.ts'
export { findEffectiveSettings } from './services/settings.ts'
export { SSO_CALLBACK_PATH } from './services/sso.ts'
export { parseTrustedDomains } from './services/sso-domains.ts'
export {
  finishSso,
  recordSsoSignIn,
  SSO_ERROR_CODES,
  type SsoErrorCode,
  SsoFailure,
  startSso,
} from './services/sso-flow.ts'
export { TWO_FACTOR_SETUP_MESSAGE, TWO_FACTOR_SETUP_PATHS } from './trpc.ts'
