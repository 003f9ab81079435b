import { and, asc, count, eq, inArray, isNull, lt, lte, ne, sql } from 'drizzle-orm'
import type { Database } from '../client.ts'
import {
  emailOutbox,
  type NotificationChannel,
  type NotificationEmailState,
  notificationSubscriptions,
  notifications,
  organizations,
  users,
  vehicles,
} from '../schema/index.ts'
import { keysetCondition, orderByKeyset, toPage } from './pagination.ts'

export interface SubscriptionFields {
  kinds: string[]
  vehicleIds: string[] | null
  channels: NotificationChannel[]
  timeZone: string
  quietStartMinute: number | null
  quietEndMinute: number | null
  digestMinutes: number | null
  isEnabled: boolean
}

const SUBSCRIPTION_COLUMNS = {
  id: notificationSubscriptions.id,
  kinds: notificationSubscriptions.kinds,
  vehicleIds: notificationSubscriptions.vehicleIds,
  channels: notificationSubscriptions.channels,
  timeZone: notificationSubscriptions.timeZone,
  quietStartMinute: notificationSubscriptions.quietStartMinute,
  quietEndMinute: notificationSubscriptions.quietEndMinute,
  digestMinutes: notificationSubscriptions.digestMinutes,
  isEnabled: notificationSubscriptions.isEnabled,
  createdAt: notificationSubscriptions.createdAt,
  updatedAt: notificationSubscriptions.updatedAt,
}

/** Scopes a subscription query to its owner: a user sees and changes only their own. */
function ownedBy(owner: { orgId: string; userId: string }) {
  return and(
    eq(notificationSubscriptions.orgId, owner.orgId),
    eq(notificationSubscriptions.userId, owner.userId),
  )
}

export function listSubscriptions(db: Database, owner: { orgId: string; userId: string }) {
  return db
    .select(SUBSCRIPTION_COLUMNS)
    .from(notificationSubscriptions)
    .where(ownedBy(owner))
    .orderBy(asc(notificationSubscriptions.createdAt), asc(notificationSubscriptions.id))
}

export async function countSubscriptions(db: Database, owner: { orgId: string; userId: string }) {
  const [row] = await db
    .select({ n: count() })
    .from(notificationSubscriptions)
    .where(ownedBy(owner))
  return row?.n ?? 0
}

export async function findSubscription(
  db: Database,
  owner: { orgId: string; userId: string; id: string },
) {
  const [row] = await db
    .select(SUBSCRIPTION_COLUMNS)
    .from(notificationSubscriptions)
    .where(and(ownedBy(owner), eq(notificationSubscriptions.id, owner.id)))
  return row ?? null
}

export async function createSubscription(
  db: Database,
  params: { orgId: string; userId: string; fields: SubscriptionFields },
) {
  const [row] = await db
    .insert(notificationSubscriptions)
    .values({ orgId: params.orgId, userId: params.userId, ...params.fields })
    .returning(SUBSCRIPTION_COLUMNS)
  if (!row) throw new Error('subscription insert returned no row')
  return row
}

export async function updateSubscription(
  db: Database,
  params: { orgId: string; userId: string; id: string; fields: SubscriptionFields },
) {
  const [row] = await db
    .update(notificationSubscriptions)
    .set({ ...params.fields, updatedAt: new Date() })
    .where(and(ownedBy(params), eq(notificationSubscriptions.id, params.id)))
    .returning(SUBSCRIPTION_COLUMNS)
  return row ?? null
}

export async function deleteSubscription(
  db: Database,
  params: { orgId: string; userId: string; id: string },
) {
  const [row] = await db
    .delete(notificationSubscriptions)
    .where(and(ownedBy(params), eq(notificationSubscriptions.id, params.id)))
    .returning({ id: notificationSubscriptions.id })
  return row ?? null
}

/**
 * Takes email off a subscription, or off all of a user's subscriptions (the unsubscribe link,
 * which works without signing in); returns how many changed.
 */
export async function removeEmailChannel(
  db: Database,
  target: { subscriptionId: string } | { userId: string },
) {
  const where =
    'subscriptionId' in target
      ? eq(notificationSubscriptions.id, target.subscriptionId)
      : eq(notificationSubscriptions.userId, target.userId)
  const rows = await db
    .update(notificationSubscriptions)
    .set({
      channels: sql`array_remove(${notificationSubscriptions.channels}, 'email')`,
      updatedAt: new Date(),
    })
    .where(and(where, sql`'email' = any(${notificationSubscriptions.channels})`))
    .returning({ id: notificationSubscriptions.id })
  // Emails of those subscriptions not sent yet are not sent.
  if (rows.length > 0) {
    await db
      .update(notifications)
      .set({ emailState: 'dropped' })
      .where(
        and(
          eq(notifications.emailState, 'pending'),
          inArray(
            notifications.subscriptionId,
            rows.map((r) => r.id),
          ),
        ),
      )
  }
  return rows.length
}

/** The enabled subscriptions of an organization, for fanning its alerts out. */
export function listEnabledSubscriptions(db: Database, orgId: string) {
  return db
    .select({ ...SUBSCRIPTION_COLUMNS, userId: notificationSubscriptions.userId })
    .from(notificationSubscriptions)
    .where(
      and(
        eq(notificationSubscriptions.orgId, orgId),
        eq(notificationSubscriptions.isEnabled, true),
      ),
    )
}

export interface NotificationInsert {
  orgId: string
  userId: string
  subscriptionId: string
  alertId: string
  alertKey: string
  vehicleId: string | null
  kind: string
  message: string
  alertTime: Date
  isInApp: boolean
  emailState: NotificationEmailState
  emailDueAt: Date | null
}

const NOTIFICATION_COLUMNS = {
  id: notifications.id,
  userId: notifications.userId,
  alertId: notifications.alertId,
  alertKey: notifications.alertKey,
  vehicleId: notifications.vehicleId,
  kind: notifications.kind,
  message: notifications.message,
  alertTime: notifications.alertTime,
  isInApp: notifications.isInApp,
  isRetracted: notifications.isRetracted,
  readAt: notifications.readAt,
  createdAt: notifications.createdAt,
}

/**
 * Stores notifications; one per user and alert episode: an episode's later versions (and a
 * replay) find the row there and add nothing. Returns the rows inserted now.
 */
export async function insertNotifications(db: Database, rows: NotificationInsert[]) {
  if (rows.length === 0) return []
  return db
    .insert(notifications)
    .values(rows)
    .onConflictDoNothing({ target: [notifications.userId, notifications.alertKey] })
    .returning(NOTIFICATION_COLUMNS)
}

/**
 * Marks the notifications of withdrawn alerts (late points showed the episode never happened):
 * shown as withdrawn in the app, and their emails not sent yet are not sent.
 */
export async function retractNotifications(
  db: Database,
  params: { orgId: string; keys: string[] },
) {
  if (params.keys.length === 0) return []
  return db
    .update(notifications)
    .set({
      isRetracted: true,
      emailState: sql`case when ${notifications.emailState} = 'pending' then 'dropped' else ${notifications.emailState} end`,
    })
    .where(
      and(
        eq(notifications.orgId, params.orgId),
        inArray(notifications.alertKey, params.keys),
        eq(notifications.isRetracted, false),
      ),
    )
    .returning(NOTIFICATION_COLUMNS)
}

/** A user's in-app notifications, newest first, with the vehicle's code; keyset paged. */
export async function listNotifications(
  db: Database,
  params: {
    orgId: string
    userId: string
    unreadOnly: boolean
    cursor?: string | undefined
    limit: number
  },
) {
  const rows = await db
    .select({ ...NOTIFICATION_COLUMNS, vehicleCode: vehicles.code })
    .from(notifications)
    .leftJoin(vehicles, eq(vehicles.id, notifications.vehicleId))
    .where(
      and(
        eq(notifications.orgId, params.orgId),
        eq(notifications.userId, params.userId),
        eq(notifications.isInApp, true),
        // "Unread" as the bell counts it: a withdrawn alert no longer asks for attention.
        params.unreadOnly
          ? and(isNull(notifications.readAt), eq(notifications.isRetracted, false))
          : undefined,
        keysetCondition(notifications.createdAt, notifications.id, 'desc', params.cursor),
      ),
    )
    .orderBy(...orderByKeyset(notifications.createdAt, notifications.id, 'desc'))
    .limit(params.limit + 1)
  return toPage(rows, params.limit, (row) => row.createdAt)
}

export async function countUnreadNotifications(
  db: Database,
  params: { orgId: string; userId: string },
) {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, params.orgId),
        eq(notifications.userId, params.userId),
        eq(notifications.isInApp, true),
        isNull(notifications.readAt),
        // A withdrawn alert (a late point showed it never happened) no longer asks for attention.
        eq(notifications.isRetracted, false),
      ),
    )
  return row?.n ?? 0
}

/** Marks some (`ids`) or all of a user's unread notifications read; returns how many changed. */
export async function markNotificationsRead(
  db: Database,
  params: { orgId: string; userId: string; ids: string[] | 'all' },
) {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.orgId, params.orgId),
        eq(notifications.userId, params.userId),
        isNull(notifications.readAt),
        params.ids === 'all' ? undefined : inArray(notifications.id, params.ids),
      ),
    )
    .returning({ id: notifications.id })
  return rows.length
}

/**
 * Locks (skip locked) up to `limit` notifications whose email is due, with what the email needs:
 * the user's address and whether it is verified, the vehicle's code, the time zone to show times
 * in. The caller marks them.
 */
export function lockDueEmailNotifications(db: Database, params: { now: Date; limit: number }) {
  return db
    .select({
      id: notifications.id,
      orgId: notifications.orgId,
      userId: notifications.userId,
      subscriptionId: notifications.subscriptionId,
      alertId: notifications.alertId,
      vehicleId: notifications.vehicleId,
      kind: notifications.kind,
      message: notifications.message,
      alertTime: notifications.alertTime,
      email: users.email,
      isVerified: sql<boolean>`${users.emailVerifiedAt} is not null`,
      vehicleCode: vehicles.code,
      // The user's own display time zone when they chose one, else the subscription's.
      timeZone: sql<
        string | null
      >`coalesce(${users.timeZone}, ${notificationSubscriptions.timeZone})`,
      // The units the message is shown in: the user's own, else the organization's.
      distanceUnit: sql<
        'km' | 'mi'
      >`coalesce(${users.distanceUnit}, ${organizations.distanceUnit})`,
      volumeUnit: sql<'L' | 'gal'>`coalesce(${users.volumeUnit}, ${organizations.volumeUnit})`,
      temperatureUnit: sql<
        'C' | 'F'
      >`coalesce(${users.temperatureUnit}, ${organizations.temperatureUnit})`,
    })
    .from(notifications)
    .innerJoin(users, eq(users.id, notifications.userId))
    .innerJoin(organizations, eq(organizations.id, notifications.orgId))
    .leftJoin(vehicles, eq(vehicles.id, notifications.vehicleId))
    .leftJoin(
      notificationSubscriptions,
      eq(notificationSubscriptions.id, notifications.subscriptionId),
    )
    .where(and(eq(notifications.emailState, 'pending'), lte(notifications.emailDueAt, params.now)))
    .orderBy(asc(notifications.emailDueAt), asc(notifications.id))
    .limit(params.limit)
    .for('update', { of: notifications, skipLocked: true })
}

export async function setNotificationEmailState(
  db: Database,
  params: { ids: string[]; state: NotificationEmailState },
) {
  if (params.ids.length === 0) return
  await db
    .update(notifications)
    .set({ emailState: params.state })
    .where(inArray(notifications.id, params.ids))
}

/**
 * Deletes what is kept only for a while: notifications created before `notificationsBefore`
 * (their email no longer pending) and outbox emails sent or failed before `emailsBefore`.
 * Returns how many of each went.
 */
export async function pruneNotifications(
  db: Database,
  params: {
    notificationsBefore: Date
    emailsBefore: Date
    /** Email off: old notifications still waiting for an email go too (none will be sent). */
    isEmailEnabled?: boolean
  },
) {
  const gone = await db
    .delete(notifications)
    .where(
      and(
        lt(notifications.createdAt, params.notificationsBefore),
        params.isEmailEnabled === false ? undefined : ne(notifications.emailState, 'pending'),
      ),
    )
    .returning({ id: notifications.id })
  const sent = await db
    .delete(emailOutbox)
    .where(and(lt(emailOutbox.createdAt, params.emailsBefore), ne(emailOutbox.status, 'pending')))
    .returning({ id: emailOutbox.id })
  return { notifications: gone.length, emails: sent.length }
}
