/** PostgreSQL SQLSTATE of a database error, looking through Drizzle's wrapper. */
function sqlState(error: unknown): { code?: string; constraint?: string } | null {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; constraint?: unknown; constraint_name?: unknown }
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      const constraint =
        typeof e.constraint_name === 'string'
          ? e.constraint_name
          : typeof e.constraint === 'string'
            ? e.constraint
            : undefined
      return constraint === undefined ? { code: e.code } : { code: e.code, constraint }
    }
    current = (current as { cause?: unknown }).cause
  }
  return null
}

/** The violated unique constraint's name, or null when the error is not a unique violation. */
export function uniqueViolation(error: unknown): string | null {
  const state = sqlState(error)
  return state?.code === '23505' ? (state.constraint ?? '') : null
}

/** The SQLSTATE code of a database error, or null. */
export function sqlStateCode(error: unknown): string | null {
  return sqlState(error)?.code ?? null
}

/** True for a foreign-key violation (a referenced row vanished). */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlState(error)?.code === '23503'
}
