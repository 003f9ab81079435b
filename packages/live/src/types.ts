import type { LiveReadingName, Reading } from '@fms/engine'

/**
 * What flows on the live bus and to subscribers: plain JSON only (times in epoch ms), so a frame
 * is serialized once and its bytes shared. The readings are those marked `live` in READINGS.
 */
export interface LivePoint extends Pick<Reading, LiveReadingName> {
  vehicleId: string | null
  deviceId: string
  /** Device time, epoch ms. */
  time: number
}

export type FleetEntity = 'vehicle' | 'device'
export type FleetAction = 'created' | 'updated' | 'removed'

export interface FleetChange {
  entity: FleetEntity
  action: FleetAction
  id: string
}

/** A stored alert version as subscribers of `alerts.live` receive it (times in epoch ms). */
export interface LiveAlert {
  id: string
  vehicleId: string
  ruleId: string | null
  kind: string
  key: string
  time: number
  endTime: number | null
  emittedAt: number
  value: number | null
  message: string
  acknowledgedAt: number | null
  /** True once: the alert was withdrawn (late points showed the episode never happened). */
  isRetracted: boolean
}

/** An in-app notification for one user, as `notifications.live` sends it (times in epoch ms). */
export interface LiveNotification {
  id: string
  /** The user it is for: the hub hands it only to that user's subscriptions. */
  userId: string
  alertId: string | null
  vehicleId: string | null
  kind: string
  message: string
  alertTime: number
  createdAt: number
  readAt: number | null
  /** The alert was withdrawn (late points showed the episode never happened). */
  isRetracted: boolean
}

export type LiveMessage =
  | { orgId: string; kind: 'points'; points: LivePoint[] }
  | { orgId: string; kind: 'fleet'; change: FleetChange }
  | { orgId: string; kind: 'alert'; alert: LiveAlert }
  | { orgId: string; kind: 'notification'; notification: LiveNotification }

/** A message as the bus delivers it, with its position in the organization's stream. */
export interface LiveEntry {
  id: string
  message: LiveMessage
}

/** Orders two bus ids (`<ms>-<seq>`, like Redis stream ids). */
export function compareLiveIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number)
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number)
  return aMs - bMs || aSeq - bSeq
}

export function isLiveId(id: string): boolean {
  return /^\d{1,16}-\d{1,16}$/.test(id)
}
