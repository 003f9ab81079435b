import { type AuditedTable, findRowForAudit, insertAuditRow } from '@fms/db/queries/audit-log'
import { findUserCredentialsByEmail } from '@fms/db/queries/users'
import {
  alerts,
  apiTokens,
  devices,
  drivers,
  fuelPurchases,
  geofences,
  maintenanceSchedules,
  notificationSubscriptions,
  reportSchedules,
  rules,
  users,
  vehicles,
  webhooks,
} from '@fms/db/schema'
import { TRPCError } from '@trpc/server'
import type { Context } from './context.ts'
import { AppError } from './errors.ts'
import { boundText, diffFields, redact } from './services/audit-redact.ts'

/**
 * The audit trail of the API: every tRPC mutation (and so every REST call made through the same
 * procedures) writes one `audit_log` row when it ends, from the middleware in trpc.ts, so no
 * procedure can forget it.
 *
 * The before/after diff: for a call whose input names an `id` in a domain listed in
 * `AUDITED_TABLES`, the row is read (in the caller's organization) after the caller is
 * authorized and before the procedure runs; the diff is that row against what the procedure
 * returned (a create diffs against nothing, a remove against nothing after). Other mutations
 * record their redacted input and the id they name or return. The row is written right after the
 * procedure's own transaction commits (services own their transactions); a failed call records
 * its error code and no diff.
 */

/** What the audit row says about who called: filled by the auth middleware once known. */
export interface AuditActor {
  type: 'user' | 'api_key'
  id: string
  email: string | null
  orgId: string
}

/** One mutation's audit state, passed down the middleware chain as `ctx.audit`. */
export interface AuditScope {
  actor: AuditActor | null
  /** The row the call names, before the call (undefined: not read). */
  before: Record<string, unknown> | null | undefined
}

/** Domains (the procedure path without its verb) whose rows a diff is read from. */
const AUDITED_TABLES: Record<string, AuditedTable> = {
  vehicles,
  devices,
  drivers,
  geofences,
  rules,
  webhooks,
  tokens: apiTokens,
  users,
  alerts,
  maintenance: maintenanceSchedules,
  fuel: fuelPurchases,
  'notifications.subscriptions': notificationSubscriptions,
  'reports.schedules': reportSchedules,
}

/** Registers another domain's table (a router added later: groups, API keys, …). */
export function auditTable(domain: string, table: AuditedTable): void {
  AUDITED_TABLES[domain] = table
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function domainOf(path: string): string {
  return path.split('.').slice(0, -1).join('.')
}

function verbOf(path: string): string {
  return path.split('.').at(-1) ?? ''
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined
}

function uuidOf(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value : null
}

/** Reads the row a mutation names, before it runs, for the diff. */
export async function captureBefore(
  ctx: Pick<Context, 'db'>,
  call: { path: string; scope: AuditScope; orgId: string; rawInput: unknown },
): Promise<void> {
  const table = AUDITED_TABLES[domainOf(call.path)]
  const id = uuidOf(field(call.rawInput, 'id'))
  if (!table || !id) return
  call.scope.before = await findRowForAudit(ctx.db, table, { orgId: call.orgId, id })
}

/** The user a sign-in-type call ended as (a session's user), or null. */
function sessionUser(data: unknown): AuditActor | null {
  const user = field(data, 'user')
  const id = uuidOf(field(user, 'id'))
  const orgId = uuidOf(field(user, 'orgId'))
  const email = field(user, 'email')
  if (!id || !orgId) return null
  return { type: 'user', id, orgId, email: typeof email === 'string' ? email : null }
}

/** The account a failed sign-in named, so its organization's admins see the attempt. */
async function namedAccount(
  ctx: Pick<Context, 'db'>,
  rawInput: unknown,
): Promise<AuditActor | null> {
  const email = field(rawInput, 'email')
  if (typeof email !== 'string' || email.length > 254 || email.includes('\0')) return null
  const user = await findUserCredentialsByEmail(ctx.db, email.trim())
  return user ? { type: 'user', id: user.id, orgId: user.orgId, email: user.email } : null
}

function errorCodeOf(error: unknown): string {
  if (error instanceof TRPCError) {
    return error.cause instanceof AppError ? error.cause.code : error.code
  }
  return 'INTERNAL'
}

/** Writes the audit row of one mutation that just ended. */
export async function recordMutation(
  ctx: Pick<Context, 'db' | 'clientIp' | 'userAgent'>,
  call: {
    path: string
    scope: AuditScope
    rawInput: unknown
    result: { ok: true; data: unknown } | { ok: false; error: unknown }
  },
): Promise<void> {
  const { path, scope, rawInput, result } = call
  const isSignIn = path.startsWith('auth.')
  let actor = scope.actor ?? (result.ok && isSignIn ? sessionUser(result.data) : null)
  const isNamedOnly = !actor && isSignIn
  if (isNamedOnly) actor = await namedAccount(ctx, rawInput)
  // A call with no organization behind it is kept only for sign-in attempts (throttled); any
  // other anonymous mutation is refused before it runs, and recording each would let anyone fill
  // the table.
  if (!actor && !isSignIn) return
  const verb = verbOf(path)
  const data = result.ok ? result.data : undefined
  const objectId =
    uuidOf(field(rawInput, 'id')) ??
    uuidOf(field(data, 'id')) ??
    (isSignIn ? (actor?.id ?? null) : null)
  let changes = null
  if (result.ok && (scope.before !== undefined || verb === 'create')) {
    const isRemoval = verb === 'remove' || verb === 'delete'
    changes = diffFields(scope.before ?? null, isRemoval ? null : data)
  }
  await insertAuditRow(ctx.db, {
    orgId: actor?.orgId ?? null,
    actorType: actor && !isNamedOnly ? actor.type : 'anonymous',
    actorId: isNamedOnly ? null : (actor?.id ?? null),
    actorEmail: actor?.email ?? (isSignIn ? emailNamed(rawInput) : null),
    action: path,
    outcome: result.ok ? 'ok' : 'error',
    errorCode: result.ok ? null : errorCodeOf(result.error),
    objectType: isSignIn ? 'user' : domainOf(path),
    objectId,
    clientIp: ctx.clientIp,
    userAgent: ctx.userAgent ? boundText(ctx.userAgent, 300) : null,
    changes,
    input: redact(rawInput) ?? null,
  })
}

function emailNamed(rawInput: unknown): string | null {
  const email = field(rawInput, 'email')
  return typeof email === 'string' ? boundText(email, 254) : null
}
