import { describe, expect, it } from 'vitest'
import {
  countAfterRead,
  countChange,
  createSeenIds,
  describeBell,
  formatUnreadBadge,
} from './unread-count'

const unread = { id: 'a', readAt: null, isRetracted: false }

describe('unread count', () => {
  it('counts a new unread notification once', () => {
    expect(countChange(unread, true)).toBe(1)
    expect(countChange(unread, false)).toBe(0)
  })

  it('does not count a read notification or a withdrawal', () => {
    expect(countChange({ ...unread, readAt: 1 }, true)).toBe(0)
    expect(countChange({ ...unread, isRetracted: true }, true)).toBe(0)
  })

  it('lowers the count by the notifications marked read, never below zero', () => {
    expect(countAfterRead(5, 2)).toBe(3)
    expect(countAfterRead(1, 4)).toBe(0)
  })

  it('remembers ids so a repeat is not new, forgetting the oldest past the limit', () => {
    const seen = createSeenIds(2)
    expect(seen.add('a')).toBe(true)
    expect(seen.add('a')).toBe(false)
    seen.add('b')
    seen.add('c')
    expect(seen.add('a')).toBe(true)
    expect(seen.add('c')).toBe(false)
  })

  it('shows no badge for none, the count, or 99+', () => {
    expect(formatUnreadBadge(null)).toBeNull()
    expect(formatUnreadBadge(0)).toBeNull()
    expect(formatUnreadBadge(3)).toBe('3')
    expect(formatUnreadBadge(100)).toBe('99+')
  })

  it('names the bell with the count', () => {
    expect(describeBell(3)).toBe('Notifications, 3 unread')
    expect(describeBell(0)).toBe('Notifications, none unread')
    expect(describeBell(null)).toBe('Notifications')
  })
})
