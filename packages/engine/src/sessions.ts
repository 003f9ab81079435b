import type { Trip } from './trips.ts'

/** A break at least this long ends a driving session (the TSBS "long driving sessions" rule). */
export const SESSION_BREAK_MS = 20 * 60_000

export interface DrivingSession {
  /** Epoch ms of the first trip's start and the last trip's end. */
  start: number
  end: number
  /** Time spent in trips (breaks shorter than SESSION_BREAK_MS are not driving). */
  drivingSec: number
  trips: number
}

/**
 * Joins a vehicle's trips into driving sessions: consecutive trips separated by less than
 * `breakMs` belong to one session (a short stop is not a rest).
 */
export function findDrivingSessions(
  trips: readonly Pick<Trip, 'start' | 'end' | 'drivingSec'>[],
  breakMs = SESSION_BREAK_MS,
): DrivingSession[] {
  const sorted = [...trips].sort((a, b) => a.start - b.start)
  const sessions: DrivingSession[] = []
  for (const trip of sorted) {
    const last = sessions.at(-1)
    if (last && trip.start - last.end < breakMs) {
      last.end = Math.max(last.end, trip.end)
      last.drivingSec += trip.drivingSec
      last.trips++
    } else {
      sessions.push({ start: trip.start, end: trip.end, drivingSec: trip.drivingSec, trips: 1 })
    }
  }
  return sessions
}
