/**
 * A background worker's loop: runs `round` every `intervalMs`; while rounds keep failing (the
 * database down) it reports the first failure and waits longer and longer, up to `maxIdleMs`. A
 * round that found work is followed by the next at once, so a backlog drains without waiting.
 */
export function startWorkLoop(
  round: () => Promise<number>,
  options: {
    intervalMs: number
    maxIdleMs?: number
    onError: (error: unknown) => void
    autoStart?: boolean
  },
) {
  const maxIdleMs = options.maxIdleMs ?? 30_000
  let timer: NodeJS.Timeout | undefined
  let current: Promise<number> = Promise.resolve(0)
  let failures = 0
  let isStopped = false

  function runOnce(): Promise<number> {
    current = current
      .catch(() => 0)
      .then(round)
      .then(
        (count) => {
          failures = 0
          return count
        },
        (error: unknown) => {
          if (failures === 0) options.onError(error)
          failures = Math.min(failures + 1, 16)
          return 0
        },
      )
    return current
  }

  function schedule(afterWork: boolean) {
    if (isStopped) return
    const delay = afterWork ? 0 : Math.min(options.intervalMs * 2 ** failures, maxIdleMs)
    timer = setTimeout(() => {
      void runOnce().then((count) => schedule(count > 0))
    }, delay)
    timer.unref()
  }

  if (options.autoStart ?? true) schedule(false)

  return {
    /** One round now (tests); resolves with what it did (0 when it failed). */
    runOnce,
    async stop() {
      isStopped = true
      clearTimeout(timer)
      await current.catch(() => 0)
    },
  }
}
