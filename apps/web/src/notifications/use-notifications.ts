import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useSubscription } from '@trpc/tanstack-react-query'
import { useEffect, useRef, useState } from 'react'
import { useThrottledInvalidate } from '../lib/use-throttled-invalidate'
import { useConnectionStatus } from '../live/connection-status'
import { useRetryOnError } from '../live/use-retry-on-error'
import { type RouterOutputs, useTRPC } from '../trpc'
import { countAfterRead, countChange, createSeenIds } from './unread-count'

export type TNotification = RouterOutputs['notifications']['list']['items'][number]

/** Refetches the notification lists and the unread count, at most a few times a second. */
function useRefreshNotifications() {
  const trpc = useTRPC()
  return useThrottledInvalidate([
    trpc.notifications.list.pathKey(),
    trpc.notifications.unreadCount.queryKey(),
  ])
}

/**
 * Keeps the caller's notifications current (for the shell, once): `notifications.live`
 * (resumable, tracked ids) counts a new unread one up at once, then the lists and the count are
 * refetched; a withdrawal refetches them too. Every (re)start of the subscription and every
 * reconnect refetches the count, so nothing stored while away is missed.
 */
export function useLiveNotifications() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [seen] = useState(createSeenIds)
  const refresh = useRefreshNotifications()
  const status = useConnectionStatus()
  const refreshRef = useRef(refresh)
  refreshRef.current = refresh
  useEffect(() => {
    if (status === 'live') refreshRef.current()
  }, [status])
  useRetryOnError(
    useSubscription(
      trpc.notifications.live.subscriptionOptions(
        {},
        {
          onStarted: refresh,
          onData: (event) => {
            const notification = event.data
            const change = countChange(notification, seen.add(notification.id))
            if (change !== 0) {
              queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), (old) =>
                old ? { count: old.count + change } : old,
              )
            }
            refresh()
          },
        },
      ),
    ),
  )
}

/** The caller's unread in-app notifications; null until known. */
export function useUnreadCount(): number | null {
  const trpc = useTRPC()
  return useQuery(trpc.notifications.unreadCount.queryOptions()).data?.count ?? null
}

/**
 * Marks some notifications (or all) read: the count drops at once by those the server changed,
 * then the lists and the count are refetched.
 */
export function useMarkRead(options: { onError?: (error: unknown) => void } = {}) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  return useMutation(
    trpc.notifications.markRead.mutationOptions({
      onSuccess: ({ updated }) => {
        queryClient.setQueryData(trpc.notifications.unreadCount.queryKey(), (old) =>
          old ? { count: countAfterRead(old.count, updated) } : old,
        )
      },
      onError: options.onError,
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.notifications.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.notifications.unreadCount.queryKey() }),
        ]),
    }),
  )
}
