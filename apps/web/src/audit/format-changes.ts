/** A field's value as one short line of text (objects as JSON). */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

/** An audit entry's changed fields as lines `field: before → after` (text only, never markup). */
export function formatChanges(
  changes: Record<string, { before: unknown; after: unknown }> | null,
): string[] {
  if (!changes) return []
  return Object.entries(changes).map(
    ([field, { before, after }]) => `${field}: ${formatValue(before)} → ${formatValue(after)}`,
  )
}
