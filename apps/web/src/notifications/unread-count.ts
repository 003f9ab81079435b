/** The bell shows "99+" beyond this. */
export const BADGE_MAX = 99
/** Ids of live notifications remembered so a resumed stream's repeats are not counted twice. */
const SEEN_IDS_MAX = 500

/** What the bell needs to know of a live notification. */
export interface TLiveChange {
  id: string
  readAt: number | null
  isRetracted: boolean
}

/** The badge text: `3`, `99+`; null for none (no badge). */
export function formatUnreadBadge(count: number | null): string | null {
  if (count === null || count <= 0) return null
  return count > BADGE_MAX ? `${BADGE_MAX}+` : String(count)
}

/** The bell's accessible name: "Notifications, 3 unread", "Notifications, none unread". */
export function describeBell(count: number | null): string {
  if (count === null) return 'Notifications'
  return `Notifications, ${count > 0 ? count : 'none'} unread`
}

/**
 * How the unread count changes for one live message: +1 for a notification seen for the first
 * time and unread; 0 for repeats, read ones and withdrawals (a withdrawal is not a new unread one;
 * the caller asks the server for the count then, as the server decides how withdrawn ones count).
 */
export function countChange(change: TLiveChange, isFirstSeen: boolean): number {
  return isFirstSeen && !change.isRetracted && change.readAt === null ? 1 : 0
}

/** The count after marking read: `updated` fewer, never below zero. */
export function countAfterRead(count: number, updated: number): number {
  return Math.max(0, count - updated)
}

/** Remembers the last few hundred ids; `add` says whether an id is new. */
export function createSeenIds(max = SEEN_IDS_MAX) {
  const seen = new Set<string>()
  return {
    add(id: string): boolean {
      if (seen.has(id)) return false
      seen.add(id)
      if (seen.size > max) {
        const oldest = seen.values().next().value
        if (oldest !== undefined) seen.delete(oldest)
      }
      return true
    },
  }
}
