import superjson from 'superjson'

/**
 * `T` where it holds JSON values only; `never` in place of anything JSON would lose or change
 * (a Date, a Map, undefined in a required key, a function...), so marking such a value does not
 * compile.
 */
export type JsonOnly<T> = T extends string | number | boolean | null
  ? T
  : T extends
        | Date
        | Map<unknown, unknown>
        | Set<unknown>
        | bigint
        | symbol
        | undefined
        | ((...args: never[]) => unknown)
    ? never
    : {
        // An optional key may be absent (JSON drops an undefined one: the same thing); a
        // required key must hold a JSON value.
        [K in keyof T]: Partial<Pick<T, K>> extends Pick<T, K>
          ? JsonOnly<Exclude<T[K], undefined>>
          : JsonOnly<T[K]>
      }

/** Values the server sends as they are, without superjson walking them (see `sendAsPlainJson`). */
const PLAIN_JSON = new WeakSet<object>()

/**
 * Marks a procedure's output as plain JSON: the transformer sends it as a superjson envelope with
 * no annotations, which every superjson client reads as it is, instead of walking every value of
 * it looking for Dates (about a second for a month of 1,000 vehicles' days). Only for values that
 * hold nothing but JSON values (checked by the type); returns the value itself, so the
 * procedure's output type, and the web app's inferred types, are unchanged.
 */
export function sendAsPlainJson<T extends object>(value: T & JsonOnly<T>): T {
  PLAIN_JSON.add(value)
  return value
}

/**
 * The tRPC transformer of the server and of every client: superjson on the wire (Dates, Maps
 * and undefined survive), except outputs marked with `sendAsPlainJson`, sent as they are.
 * Payloads arrive freshly parsed from JSON, so they are deserialized in place rather than copied
 * first (superjson's own `parse` does the same).
 */
export const transformer = {
  serialize(value: unknown): unknown {
    if (typeof value === 'object' && value !== null && PLAIN_JSON.has(value)) return { json: value }
    return superjson.serialize(value)
  },
  deserialize(payload: unknown): unknown {
    return superjson.deserialize(payload as Parameters<typeof superjson.deserialize>[0], {
      inPlace: true,
    })
  },
}
