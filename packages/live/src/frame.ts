import {
  type CompactBody,
  type CompactKey,
  type CompactKeys,
  compactFrameJson,
  encodeCompactBody,
} from './compact.ts'
import type { LivePoint } from './types.ts'

/** What a `telemetry.live` subscriber receives: the latest point per vehicle since the last frame. */
export interface LiveFrame {
  points: LivePoint[]
  /** True when the client's resume position was too old: take a fresh `telemetry.latest`. */
  reset: boolean
}

/**
 * A value sent on the WebSocket as JSON it computes itself, once: the WebSocket encoder
 * (apps/server) splices `json` in instead of serializing the value again for each socket.
 */
export abstract class PreEncoded {
  abstract get json(): string
}

const SERIALIZED = Symbol('serialized')
const COMPACT = Symbol('compact')
const BUILT_AT = Symbol('builtAt')

/**
 * A frame serialized once and sent to every socket that gets the same content. Its fields are a
 * plain `LiveFrame`; its compact encoding (see compact.ts) is computed once too, with the keys of
 * the group it was built for.
 */
export class SharedFrame extends PreEncoded implements LiveFrame {
  readonly points: LivePoint[]
  readonly reset: boolean
  /** The group's key numbering, for the compact encoding. */
  readonly keys: CompactKeys | undefined
  private readonly [BUILT_AT]: number
  private [SERIALIZED]: string | undefined
  private [COMPACT]: CompactBody | undefined

  constructor(
    points: LivePoint[],
    reset = false,
    keys?: CompactKeys,
    builtAt: number = performance.now(),
  ) {
    super()
    this.points = points
    this.reset = reset
    this.keys = keys
    this[BUILT_AT] = builtAt
  }

  /**
   * `performance.now()` when the oldest content of this frame was built into a frame (a getter:
   * not an own field, so a transformer serializing the frame the ordinary way never sends it).
   */
  get builtAt(): number {
    return this[BUILT_AT]
  }

  /** The frame's JSON, computed on first use and kept. */
  get json(): string {
    this[SERIALIZED] ??= JSON.stringify({ points: this.points, reset: this.reset })
    return this[SERIALIZED]
  }

  /** The compact body with these keys; computed once and kept when they are the frame's own. */
  compactBody(keys: CompactKeys): CompactBody {
    if (keys !== this.keys) return encodeCompactBody(this.points, this.reset, keys)
    this[COMPACT] ??= encodeCompactBody(this.points, this.reset, keys)
    return this[COMPACT]
  }
}

/** A compact frame as one socket receives it: the keys new to it, then the shared body. */
export class CompactFrameView extends PreEncoded {
  constructor(
    readonly newKeys: CompactKey[],
    private readonly body: CompactBody,
  ) {
    super()
  }

  get json(): string {
    return compactFrameJson(this.newKeys, this.body)
  }

  /** Plain JSON (a transformer or a test that serializes it the ordinary way gets the same). */
  toJSON(): unknown {
    return JSON.parse(this.json)
  }
}

/**
 * What one compact subscription has been told: the keys it knows. Turns a shared frame into the
 * view this socket gets, with only the keys it has not seen.
 */
export class CompactSubscription {
  private known = new Uint8Array(256)

  constructor(private readonly keys: CompactKeys) {}

  view(frame: SharedFrame): CompactFrameView {
    const body = frame.compactBody(this.keys)
    const newKeys: CompactKey[] = []
    for (const key of body.keys) {
      if (key >= this.known.length) {
        const grown = new Uint8Array(Math.max(key + 1, this.known.length * 2))
        grown.set(this.known)
        this.known = grown
      }
      if (this.known[key] === 1) continue
      this.known[key] = 1
      const entry = this.keys.entry(key)
      if (entry) newKeys.push(entry)
    }
    return new CompactFrameView(newKeys, body)
  }
}
