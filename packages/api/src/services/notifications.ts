import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Database } from '@fms/db'
import {
  countSubscriptions,
  countUnreadNotifications,
  createSubscription,
  deleteSubscription,
  findSubscription,
  insertNotifications,
  listEnabledSubscriptions,
  listNotifications,
  listSubscriptions,
  markNotificationsRead,
  type NotificationInsert,
  retractNotifications,
  type SubscriptionFields,
  updateSubscription,
} from '@fms/db/queries/notifications'
import { filterToScope, findVehicleScopes } from '@fms/db/queries/vehicle-scope'
import { findOrgVehicleIds } from '@fms/db/queries/vehicles'
import type { AlertRow, NotificationSubscriptionRow } from '@fms/db/schema'
import { findEmailDueAt } from '@fms/engine'
import type { LiveNotification } from '@fms/live'
import type { ApiDeps, DbDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import {
  MAX_SUBSCRIPTIONS_PER_USER,
  type TCreateSubscriptionInput,
  type TListNotificationsInput,
  type TMarkReadInput,
  type TUpdateSubscriptionInput,
} from '../schemas/index.ts'
import { mapDbErrors } from './db-errors.ts'
import type { EmailSettings } from './email-render.ts'
import { type SubscriptionDeps, streamEvents } from './live.ts'

interface Owner {
  orgId: string
  userId: string
}

function toMinute(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number)
  return hours * 60 + minutes
}

function toTimeOfDay(minute: number): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`
}

type SubscriptionRow = Omit<NotificationSubscriptionRow, 'orgId' | 'userId'>

/** A subscription as the API shows it: quiet hours as `HH:MM` local times. */
function toSubscription(row: SubscriptionRow) {
  const { quietStartMinute, quietEndMinute, ...rest } = row
  return {
    ...rest,
    quietHours:
      quietStartMinute === null || quietEndMinute === null
        ? null
        : { from: toTimeOfDay(quietStartMinute), to: toTimeOfDay(quietEndMinute) },
  }
}

/** Refuses vehicles that are not the organization's, naming the field (NOT_FOUND: no leak). */
async function checkVehicles(db: Database, orgId: string, vehicleIds: string[] | null) {
  if (!vehicleIds) return
  const found = await findOrgVehicleIds(db, { orgId, vehicleIds })
  if (found.size === vehicleIds.length) return
  const message = 'Vehicle not found'
  throw new AppError('NOT_FOUND', message, { fieldErrors: { vehicleIds: [message] } })
}

function toFields(
  input: Omit<TCreateSubscriptionInput, 'kinds'> & { kinds: string[] },
): SubscriptionFields {
  return {
    kinds: input.kinds,
    vehicleIds: input.vehicleIds,
    channels: input.channels,
    timeZone: input.timeZone,
    quietStartMinute: input.quietHours ? toMinute(input.quietHours.from) : null,
    quietEndMinute: input.quietHours ? toMinute(input.quietHours.to) : null,
    digestMinutes: input.digestMinutes,
    isEnabled: input.isEnabled,
  }
}

export async function listUserSubscriptions(deps: DbDeps, owner: Owner) {
  return (await listSubscriptions(deps.db, owner)).map(toSubscription)
}

export async function createUserSubscription(
  deps: DbDeps,
  owner: Owner,
  input: TCreateSubscriptionInput,
) {
  await checkVehicles(deps.db, owner.orgId, input.vehicleIds)
  return deps.db.transaction(async (tx) => {
    if ((await countSubscriptions(tx, owner)) >= MAX_SUBSCRIPTIONS_PER_USER) {
      throw new AppError(
        'BAD_REQUEST',
        `At most ${MAX_SUBSCRIPTIONS_PER_USER} subscriptions; change or remove one`,
      )
    }
    return toSubscription(await createSubscription(tx, { ...owner, fields: toFields(input) }))
  })
}

export async function updateUserSubscription(
  deps: DbDeps,
  owner: Owner,
  input: TUpdateSubscriptionInput,
) {
  const { id, ...patch } = input
  const current = await findSubscription(deps.db, { ...owner, id })
  if (!current) throw new AppError('NOT_FOUND', 'Subscription not found')
  const shown = toSubscription(current)
  const merged = {
    kinds: patch.kinds ?? shown.kinds,
    vehicleIds: patch.vehicleIds === undefined ? shown.vehicleIds : patch.vehicleIds,
    channels: patch.channels ?? shown.channels,
    timeZone: patch.timeZone ?? shown.timeZone,
    quietHours: patch.quietHours === undefined ? shown.quietHours : patch.quietHours,
    digestMinutes: patch.digestMinutes === undefined ? shown.digestMinutes : patch.digestMinutes,
    isEnabled: patch.isEnabled ?? shown.isEnabled,
  }
  if (patch.vehicleIds) await checkVehicles(deps.db, owner.orgId, patch.vehicleIds)
  const row = await updateSubscription(deps.db, { ...owner, id, fields: toFields(merged) })
  if (!row) throw new AppError('NOT_FOUND', 'Subscription not found')
  return toSubscription(row)
}

export async function removeUserSubscription(deps: DbDeps, owner: Owner, id: string) {
  const row = await deleteSubscription(deps.db, { ...owner, id })
  if (!row) throw new AppError('NOT_FOUND', 'Subscription not found')
  return { id: row.id }
}

export function listUserNotifications(deps: DbDeps, owner: Owner, input: TListNotificationsInput) {
  return mapDbErrors(listNotifications(deps.db, { ...owner, ...input }))
}

export async function countUserUnread(deps: DbDeps, owner: Owner) {
  return { count: await countUnreadNotifications(deps.db, owner) }
}

export async function markUserNotificationsRead(deps: DbDeps, owner: Owner, input: TMarkReadInput) {
  const updated = await markNotificationsRead(deps.db, {
    ...owner,
    ids: 'all' in input ? 'all' : input.ids,
  })
  return { updated }
}

/** Whether this server sends email, so the app can say so. */
export function describeEmail(deps: Pick<ApiDeps, 'email'>) {
  return { isEmailEnabled: deps.email !== undefined }
}

/** The caller's notifications as they are stored or withdrawn; resumable like `alerts.live`. */
export function liveNotifications(
  deps: SubscriptionDeps,
  params: { orgId: string; userId: string; lastEventId: string | null | undefined },
  signal: AbortSignal | undefined,
) {
  return streamEvents<LiveNotification>(deps, params, signal, {
    join: (listener) =>
      deps.live.joinNotifications(params.orgId, (id, notification) => {
        if (notification.userId === params.userId) listener(id, notification)
      }),
    pick: (entry) =>
      entry.message.kind === 'notification' && entry.message.notification.userId === params.userId
        ? entry.message.notification
        : undefined,
  })
}

type StoredNotification = Awaited<ReturnType<typeof insertNotifications>>[number]

export function toLiveNotification(row: StoredNotification): LiveNotification {
  return {
    id: row.id,
    userId: row.userId,
    alertId: row.alertId,
    vehicleId: row.vehicleId,
    kind: row.kind,
    message: row.message,
    alertTime: row.alertTime.getTime(),
    createdAt: row.createdAt.getTime(),
    readAt: row.readAt?.getTime() ?? null,
    isRetracted: row.isRetracted,
  }
}

type EnabledSubscription = Awaited<ReturnType<typeof listEnabledSubscriptions>>[number]

/**
 * Who is told about which new alerts, and how: per user and alert, one notification merging the
 * user's matching subscriptions (in-app if any asks for it; email if any does, due at the
 * earliest time any of them allows). Pure.
 */
export function planNotifications(
  subscriptions: readonly EnabledSubscription[],
  alerts: readonly AlertRow[],
  now: number,
): NotificationInsert[] {
  const planned = new Map<string, NotificationInsert>()
  for (const alert of alerts) {
    for (const sub of subscriptions) {
      if (sub.kinds.length > 0 && !sub.kinds.includes(alert.kind)) continue
      if (sub.vehicleIds && !sub.vehicleIds.includes(alert.vehicleId)) continue
      const wantsEmail = sub.channels.includes('email')
      const wantsInApp = sub.channels.includes('in_app')
      if (!wantsEmail && !wantsInApp) continue
      const dueAt = wantsEmail ? new Date(findEmailDueAt(now, sub)) : null
      const key = `${sub.userId}\n${alert.key}`
      const seen = planned.get(key)
      if (seen) {
        seen.isInApp ||= wantsInApp
        if (dueAt && (!seen.emailDueAt || dueAt < seen.emailDueAt)) {
          seen.emailDueAt = dueAt
          seen.emailState = 'pending'
          seen.subscriptionId = sub.id
        }
        continue
      }
      planned.set(key, {
        orgId: alert.orgId,
        userId: sub.userId,
        subscriptionId: sub.id,
        alertId: alert.id,
        alertKey: alert.key,
        vehicleId: alert.vehicleId,
        kind: alert.kind,
        message: alert.message,
        alertTime: alert.time,
        isInApp: wantsInApp,
        emailState: dueAt ? 'pending' : 'none',
        emailDueAt: dueAt,
      })
    }
  }
  return [...planned.values()]
}

/**
 * In the caller's transaction (the one storing the alerts): notifications for the alerts stored
 * now, and withdrawn ones marked. Email is planned only when the server sends email. Returns the
 * rows to publish live after the commit.
 */
export async function queueAlertNotifications(
  tx: Database,
  params: {
    orgId: string
    stored: readonly AlertRow[]
    retracted: readonly AlertRow[]
    isEmailEnabled: boolean
    now?: number
  },
): Promise<LiveNotification[]> {
  const changed: StoredNotification[] = []
  if (params.retracted.length > 0) {
    changed.push(
      ...(await retractNotifications(tx, {
        orgId: params.orgId,
        keys: params.retracted.map((a) => a.key),
      })),
    )
  }
  if (params.stored.length > 0) {
    const enabled = await listEnabledSubscriptions(tx, params.orgId)
    // A user limited to vehicle groups hears only about the vehicles of their groups.
    const scopes = await findVehicleScopes(tx, [...new Set(enabled.map((sub) => sub.userId))])
    const subscriptions = enabled.map((sub) => {
      const visible = scopes.has(sub.userId) ? (scopes.get(sub.userId) ?? null) : []
      const vehicleIds =
        visible === null
          ? sub.vehicleIds
          : filterToScope({ orgId: params.orgId, vehicleIds: visible }, sub.vehicleIds ?? visible)
      const channels = params.isEmailEnabled
        ? sub.channels
        : sub.channels.filter((channel) => channel !== 'email')
      return { ...sub, vehicleIds, channels }
    })
    const rows = planNotifications(subscriptions, params.stored, params.now ?? Date.now())
    for (let i = 0; i < rows.length; i += 1000) {
      changed.push(...(await insertNotifications(tx, rows.slice(i, i + 1000))))
    }
  }
  return changed.filter((row) => row.isInApp).map(toLiveNotification)
}

/** What an unsubscribe link stops: one subscription's email, or all of a user's. */
export type UnsubscribeTarget = { subscriptionId: string } | { userId: string }

function macOf(settings: Pick<EmailSettings, 'linkSecret'>, payload: string): string {
  return createHmac('sha256', settings.linkSecret)
    .update(`unsubscribe:${payload}`)
    .digest('base64url')
}

/** A token for an unsubscribe link: works without signing in, names only what it stops. */
export function signUnsubscribeToken(
  settings: Pick<EmailSettings, 'linkSecret'>,
  target: UnsubscribeTarget,
): string {
  const payload = 'subscriptionId' in target ? `s.${target.subscriptionId}` : `u.${target.userId}`
  return `${payload}.${macOf(settings, payload)}`
}

/** The target of a well-formed, genuine unsubscribe token; null for anything else. */
export function readUnsubscribeToken(
  settings: Pick<EmailSettings, 'linkSecret'>,
  token: string,
): UnsubscribeTarget | null {
  const match = /^([su])\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!match) return null
  const [, scope, id, mac] = match as unknown as [string, string, string, string]
  const expected = Buffer.from(macOf(settings, `${scope}.${id}`))
  const given = Buffer.from(mac)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  return scope === 's' ? { subscriptionId: id } : { userId: id }
}
