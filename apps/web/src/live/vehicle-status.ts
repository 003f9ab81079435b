/** What the map and the list show for a vehicle. */
export type TVehicleStatus = 'moving' | 'idle' | 'offline'

export const VEHICLE_STATUS_LIST: readonly TVehicleStatus[] = ['moving', 'idle', 'offline']

/** A vehicle that has not reported for this long is offline. */
export const OFFLINE_AFTER_MS = 5 * 60_000
/** Below this speed (km/h) a vehicle counts as standing: GPS jitter reports a few km/h. */
export const MOVING_MIN_SPEED_KMH = 3

export const STATUS_LABELS: Record<TVehicleStatus, string> = {
  moving: 'Moving',
  idle: 'Idle',
  offline: 'Offline',
}

/** Map and badge colours; chosen to stay distinct for the common colour-vision deficiencies. */
export const STATUS_COLORS: Record<TVehicleStatus, string> = {
  moving: '#1a7f37',
  idle: '#c77700',
  offline: '#6b7280',
}

export interface TStatusInput {
  /** Time of the last point, epoch ms (null: never reported). */
  time: number | null
  speed: number | null
}

/**
 * Offline when the last report is missing or older than OFFLINE_AFTER_MS (a clock running
 * slightly ahead on the device counts as fresh); else moving at MOVING_MIN_SPEED_KMH or more;
 * else idle.
 */
export function classifyVehicleStatus(state: TStatusInput, now: number): TVehicleStatus {
  if (state.time === null || now - state.time > OFFLINE_AFTER_MS) return 'offline'
  return (state.speed ?? 0) >= MOVING_MIN_SPEED_KMH ? 'moving' : 'idle'
}
