import type { LivePoint } from './types.ts'

/** What a `telemetry.live` subscriber receives: the latest point per vehicle since the last frame. */
export interface LiveFrame {
  points: LivePoint[]
  /** True when the client's resume position was too old: take a fresh `telemetry.latest`. */
  reset: boolean
}

const SERIALIZED = Symbol('serialized')

/**
 * A frame serialized once and sent to every socket that gets the same content. Its fields are a
 * plain `LiveFrame`; the WebSocket encoder (apps/server) splices the cached JSON in instead of
 * serializing the points again for each socket.
 */
export class SharedFrame implements LiveFrame {
  readonly points: LivePoint[]
  readonly reset: boolean
  private [SERIALIZED]: string | undefined

  constructor(points: LivePoint[], reset = false) {
    this.points = points
    this.reset = reset
  }

  /** The frame's JSON, computed on first use and kept. */
  get json(): string {
    this[SERIALIZED] ??= JSON.stringify({ points: this.points, reset: this.reset })
    return this[SERIALIZED]
  }
}
