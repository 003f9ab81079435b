import { readFileSync } from 'node:fs'
import os from 'node:os'

/**
 * How busy the whole machine is (all processes, all cores), from /proc/stat: a benchmark run on
 * a shared machine means little without it. `start()` then `busy()` gives the share of CPU time
 * spent busy in between (0..1); null where /proc/stat is missing.
 */
export function machineLoad() {
  const read = (): { busy: number; total: number } | null => {
    try {
      const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1)
      const ticks = (cpu ?? []).map(Number)
      const total = ticks.reduce((sum, t) => sum + t, 0)
      // idle + iowait
      const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
      return { busy: total - idle, total }
    } catch {
      return null
    }
  }
  let from = read()
  return {
    cores: os.availableParallelism(),
    start() {
      from = read()
    },
    busy(): number | null {
      const to = read()
      if (!from || !to || to.total === from.total) return null
      return (to.busy - from.busy) / (to.total - from.total)
    },
  }
}

/** CPU seconds (user + system) process `pid` has used so far, from /proc; null where missing. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null
  try {
    // Fields after the command name (which may hold spaces, so cut after its closing paren):
    // utime and stime are the 12th and 13th of them, in clock ticks (100 a second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC
  } catch {
    return null
  }
}

const CLOCK_TICKS_PER_SEC = 100

/** The share of CPU the machine spends busy over `ms`, before anything of ours runs. */
export async function measureIdleBaseline(ms: number): Promise<number | null> {
  const load = machineLoad()
  await new Promise((resolve) => setTimeout(resolve, ms))
  return load.busy()
}

/** A quantile (0..1) from a Prometheus histogram in `text`, interpolated in its bucket. */
export function histogramQuantile(text: string, name: string, q: number): number | null {
  const buckets: { le: number; count: number }[] = []
  const pattern = new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\S+)$`, 'gm')
  for (const match of text.matchAll(pattern)) {
    buckets.push({
      le: match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]),
      count: Number(match[2]),
    })
  }
  const total = buckets.at(-1)?.count ?? 0
  if (total === 0) return null
  const rank = q * total
  let lower = 0
  let below = 0
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lower
      return lower + ((le - lower) * (rank - below)) / Math.max(1, count - below)
    }
    lower = le
    below = count
  }
  return lower
}

/** The mean of a Prometheus histogram in `text` (sum / count). */
export function histogramMean(text: string, name: string): number | null {
  const sum = Number(new RegExp(`^${name}_sum(?:\\{\\})? (\\S+)$`, 'm').exec(text)?.[1])
  const count = Number(new RegExp(`^${name}_count(?:\\{\\})? (\\S+)$`, 'm').exec(text)?.[1])
  return count > 0 ? sum / count : null
}

/** A gauge's value in `text`. */
export function gaugeValue(text: string, name: string): number | null {
  const value = Number(new RegExp(`^${name}(?:\\{\\})? (\\S+)$`, 'm').exec(text)?.[1])
  return Number.isFinite(value) ? value : null
}
