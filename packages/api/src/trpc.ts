import { canManage } from '@fms/auth'
import { initTRPC, type TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server'
import { ZodError, z } from 'zod'
import { type AuditScope, captureBefore, recordMutation } from './audit-trail.ts'
import { authenticateCaller } from './authenticate.ts'
import type { Context } from './context.ts'
import { AppError, type AppErrorCode } from './errors.ts'
import { assertInputInScope } from './scope.ts'
import { authenticateShareToken } from './services/shares.ts'
import { transformer } from './transformer.ts'

const t = initTRPC.context<Context>().create({
  transformer,
  // Subscriptions run over the WebSocket only, where token expiry, revocation and per-user caps
  // are enforced; the HTTP handler refuses them before they start (server.ts).
  sse: { enabled: false },
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const cause = error.cause
    const fieldErrors =
      cause instanceof ZodError
        ? (z.flattenError(cause).fieldErrors as Record<string, string[]>)
        : cause instanceof AppError
          ? cause.fieldErrors
          : undefined
    const isInternal = error.code === 'INTERNAL_SERVER_ERROR'
    return {
      ...shape,
      message: isInternal
        ? 'Internal server error'
        : cause instanceof ZodError
          ? 'Invalid input'
          : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        ...(fieldErrors ? { fieldErrors } : {}),
      },
    }
  },
})

export const router = t.router
export const createCallerFactory = t.createCallerFactory

/** Each application error code's tRPC code; the HTTP statuses are in the table in errors.ts. */
export const TRPC_CODES = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_SUPPORTED',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<AppErrorCode, TRPC_ERROR_CODE_KEY>

/** Turns the AppError a service threw into the tRPC error of the same meaning. */
const mapAppErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next()
  if (!result.ok && result.error.cause instanceof AppError) {
    const appError = result.error.cause
    if (appError.retryAfterSec !== undefined) {
      ctx.setHeader('Retry-After', String(appError.retryAfterSec))
    }
    throw new TRPCError({
      code: TRPC_CODES[appError.code],
      message: appError.message,
      cause: appError,
    })
  }
  return result
})

/**
 * Every mutation leaves an audit row when it ends, success or failure (audit-trail.ts); the
 * auth middleware fills in who called. Outermost, so it sees the final error code. A failure to
 * write the row fails the call (logged by the server): an unrecorded change is worse than an error.
 */
const recordMutations = t.middleware(async ({ ctx, type, path, getRawInput, next }) => {
  if (type !== 'mutation') return next({ ctx: { audit: null as AuditScope | null } })
  const scope: AuditScope = { actor: null, before: undefined }
  const result = await next({ ctx: { audit: scope as AuditScope | null } })
  const rawInput = await getRawInput().catch(() => undefined)
  await recordMutation(ctx, { path, scope, rawInput, result })
  return result
})

/**
 * What an admin may call while their organization requires two-factor sign-in for admins and
 * they signed in by password without it: who they are, setting it up, their sessions, signing
 * out, and their own display settings (the account page). Everything else is FORBIDDEN, over
 * HTTP, the REST API and the WebSocket alike.
 */
export const TWO_FACTOR_SETUP_PATHS: ReadonlySet<string> = new Set([
  'auth.me',
  'auth.requestVerification',
  'auth.twoFactor.status',
  'auth.twoFactor.enrol',
  'auth.twoFactor.confirm',
  'auth.sessions',
  'auth.revokeSession',
  'auth.revokeOtherSessions',
  'settings.get',
  'settings.updateMine',
])
export const TWO_FACTOR_SETUP_MESSAGE =
  'Your organization requires two-factor sign-in for admins: set it up on your account page first'

/**
 * Verifies the caller (see `authenticateCaller`): a missing token and a bad one differ. An
 * integrator API key acts as the admin who created it; a `read` key calls queries only. Then
 * resolves the vehicles the caller may see (`ctx.scope`, see scope.ts) and refuses, as
 * NOT_FOUND, an input naming a vehicle outside them.
 */
const isAuthed = t.middleware(async ({ ctx, type, path, next, getRawInput }) => {
  if (!ctx.accessToken) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' })
  const caller = await authenticateCaller(ctx, ctx)
  if (!caller) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid or expired token' })
  if (caller.isTwoFactorSetupRequired && !TWO_FACTOR_SETUP_PATHS.has(path)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: TWO_FACTOR_SETUP_MESSAGE })
  }
  if (caller.apiKey?.scope === 'read' && type !== 'query') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This API key may only read (scope read)' })
  }
  const { scope } = caller
  try {
    assertInputInScope(scope, await getRawInput())
  } catch (error) {
    throw new TRPCError({ code: 'NOT_FOUND', message: (error as Error).message, cause: error })
  }
  return next({
    ctx: {
      user: caller.user,
      accessTokenExp: caller.exp,
      apiKey: caller.apiKey,
      scope,
      sessionId: caller.sessionId,
    },
  })
})

/**
 * A share link's viewer: the token of a working link, and nothing more. This is the only way a
 * share token is accepted; every other procedure verifies an access token and refuses it.
 */
const isShareViewer = t.middleware(async ({ ctx, next }) => {
  const share = await authenticateShareToken(ctx, ctx.accessToken, ctx.clientIp)
  if (!share) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'This link has expired or was revoked' })
  }
  return next({ ctx: { share } })
})

/**
 * One credentials call at a time per HTTP request or WebSocket. The calls of a batch run
 * concurrently, so without this a batch of logins would try many passwords in one round trip.
 */
const isOnlyCredentialCall = t.middleware(async ({ ctx, next }) => {
  if (ctx.credentialCalls.active > 0) {
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: 'One sign-in call at a time: send sign-in calls one by one, not in a batch',
    })
  }
  ctx.credentialCalls.active++
  try {
    return await next()
  } finally {
    ctx.credentialCalls.active--
  }
})

export const publicProcedure = t.procedure.use(recordMutations).use(mapAppErrors)
/** Public procedures that check a password or a refresh token (login, register, refresh). */
export const credentialsProcedure = publicProcedure.use(isOnlyCredentialCall)

/** The signed-in caller, named in the audit row of a mutation (before any role check refuses it). */
const authedProcedure = publicProcedure.use(isAuthed).use(({ ctx, next }) => {
  if (ctx.audit) {
    const { id, email, orgId } = ctx.user
    // An integrator key is named as itself (its id), with the admin it acts as by email.
    ctx.audit.actor = ctx.apiKey
      ? { type: 'api_key', id: ctx.apiKey.id, email, orgId }
      : { type: 'user', id, email, orgId }
  }
  return next()
})

/** For a mutation: the row it names, read before it runs, for the audit diff. */
const readBefore = async ({
  ctx,
  path,
  getRawInput,
}: {
  ctx: Context & { audit: AuditScope | null; user: { orgId: string } }
  path: string
  getRawInput: () => Promise<unknown>
}) => {
  if (!ctx.audit) return
  const rawInput = await getRawInput().catch(() => undefined)
  await captureBefore(ctx, { path, scope: ctx.audit, orgId: ctx.user.orgId, rawInput })
}

export const protectedProcedure = authedProcedure.use(async (opts) => {
  await readBefore(opts)
  return opts.next()
})
export const adminProcedure = authedProcedure.use(async (opts) => {
  if (!canManage(opts.ctx.user.role)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only an admin may do this' })
  }
  await readBefore(opts)
  return opts.next()
})
/** What a share link may call (`shared.*`): its own vehicles' positions, from its start on. */
export const shareProcedure = publicProcedure.use(isShareViewer)
