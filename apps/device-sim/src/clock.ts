/**
 * Simulation time. The run reads time and waits only through a Clock, so tests (and replays) can
 * run faster than real time while every timestamp stays consistent.
 */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number
  /** Waits `ms` of clock time; resolves early (never rejects) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

export function createSystemClock(): Clock {
  return { now: () => Date.now(), sleep: sleepReal }
}

/**
 * Clock time that starts at `startMs` and runs `scale` times faster than real time. Start it in
 * the past when posting to a real server: the server refuses points too far in the future.
 */
export function createScaledClock(options: { startMs: number; scale: number }): Clock {
  const realStart = performance.now()
  return {
    now: () => Math.floor(options.startMs + (performance.now() - realStart) * options.scale),
    sleep: (ms, signal) => sleepReal(ms / options.scale, signal),
  }
}

/** Waits until the clock reads `time` (at once when it already does). */
export async function sleepUntil(clock: Clock, time: number, signal?: AbortSignal): Promise<void> {
  // A timer may fire a little early; loop until the clock agrees.
  for (let left = time - clock.now(); left > 0 && !signal?.aborted; left = time - clock.now()) {
    await clock.sleep(left, signal)
  }
}
