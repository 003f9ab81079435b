import {
  ZCreateSubscriptionInput,
  ZIdInput,
  ZListNotificationsInput,
  ZMarkReadInput,
  ZNotificationsLiveInput,
  ZUpdateSubscriptionInput,
} from '../schemas/index.ts'
import {
  countUserUnread,
  createUserSubscription,
  describeEmail,
  listUserNotifications,
  listUserSubscriptions,
  liveNotifications,
  markUserNotificationsRead,
  removeUserSubscription,
  updateUserSubscription,
} from '../services/notifications.ts'
import { protectedProcedure, router } from '../trpc.ts'

const owner = (ctx: { user: { orgId: string; id: string } }) => ({
  orgId: ctx.user.orgId,
  userId: ctx.user.id,
})

/** Each user's own subscriptions: every member may manage theirs, and nobody else's. */
const subscriptionsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listUserSubscriptions({ db: ctx.db }, owner(ctx))),
  create: protectedProcedure
    .input(ZCreateSubscriptionInput)
    .mutation(({ ctx, input }) => createUserSubscription({ db: ctx.db }, owner(ctx), input)),
  update: protectedProcedure
    .input(ZUpdateSubscriptionInput)
    .mutation(({ ctx, input }) => updateUserSubscription({ db: ctx.db }, owner(ctx), input)),
  remove: protectedProcedure
    .input(ZIdInput)
    .mutation(({ ctx, input }) => removeUserSubscription({ db: ctx.db }, owner(ctx), input.id)),
})

/** What each user asked to be told about, and what they were told (in-app). */
export const notificationsRouter = router({
  subscriptions: subscriptionsRouter,
  /** The caller's in-app notifications, newest first. */
  list: protectedProcedure
    .input(ZListNotificationsInput)
    .query(({ ctx, input }) => listUserNotifications({ db: ctx.db }, owner(ctx), input)),
  unreadCount: protectedProcedure.query(({ ctx }) => countUserUnread({ db: ctx.db }, owner(ctx))),
  markRead: protectedProcedure
    .input(ZMarkReadInput)
    .mutation(({ ctx, input }) => markUserNotificationsRead({ db: ctx.db }, owner(ctx), input)),
  /** Whether this server sends email (without SMTP_URL it does not, and the app says so). */
  emailStatus: protectedProcedure.query(({ ctx }) => describeEmail(ctx)),
  /** The caller's new (and withdrawn) notifications as they happen; resumable (tracked ids). */
  live: protectedProcedure
    .input(ZNotificationsLiveInput)
    .subscription(({ ctx, input, signal }) =>
      liveNotifications(
        { live: ctx.live, connection: ctx.connection },
        { orgId: ctx.user.orgId, userId: ctx.user.id, lastEventId: input.lastEventId },
        signal,
      ),
    ),
})
