import superjson from 'superjson'
import { describe, expect, it } from 'vitest'
import { sendAsPlainJson, transformer } from './transformer.ts'

/** Through the wire: serialized, sent as JSON text, read back. */
const roundTrip = (value: unknown) =>
  transformer.deserialize(JSON.parse(JSON.stringify(transformer.serialize(value))))

describe('the API transformer', () => {
  it('sends a marked output as it is, and any superjson client reads it the same', () => {
    const output = sendAsPlainJson({ days: [{ date: '2026-11-02', km: 1.5, max: null }], ok: true })
    expect(transformer.serialize(output)).toEqual({ json: output })
    expect(roundTrip(output)).toEqual(output)
    expect(
      superjson.deserialize(JSON.parse(JSON.stringify(transformer.serialize(output)))),
    ).toEqual(output)
  })

  it('keeps Dates, Maps and undefined of unmarked outputs, as superjson does', () => {
    const output = { at: new Date(0), byId: new Map([['a', 1]]), gone: undefined }
    expect(roundTrip(output)).toEqual(output)
  })

  it('refuses to mark a value JSON would change', () => {
    // @ts-expect-error a Date is not a JSON value
    sendAsPlainJson({ at: new Date(0) })
    // @ts-expect-error neither is undefined
    sendAsPlainJson({ maybe: undefined as number | undefined })
  })
})
