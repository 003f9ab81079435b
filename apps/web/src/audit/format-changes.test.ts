import { describe, expect, it } from 'vitest'
import { formatChanges } from './format-changes'

describe('formatChanges', () => {
  it('writes one line per field, before then after', () => {
    expect(
      formatChanges({
        plate: { before: 'AB-1', after: 'AB-2' },
        makeYear: { before: null, after: 2020 },
      }),
    ).toEqual(['plate: AB-1 → AB-2', 'makeYear: — → 2020'])
  })

  it('answers no lines without changes', () => {
    expect(formatChanges(null)).toEqual([])
  })
})
