import { describe, expect, it } from 'vitest'
import { createLatencyHistogram, createRunStats } from './stats.ts'

describe('createLatencyHistogram', () => {
  it('answers percentiles within 2 %', () => {
    const histogram = createLatencyHistogram()
    for (let ms = 1; ms <= 1000; ms++) histogram.record(ms)
    expect(histogram.count).toBe(1000)
    expect(histogram.percentile(0.5)).toBeGreaterThanOrEqual(500)
    expect(histogram.percentile(0.5)).toBeLessThanOrEqual(510)
    expect(histogram.percentile(0.99)).toBeGreaterThanOrEqual(990)
    expect(histogram.percentile(0.99)).toBeLessThanOrEqual(1000)
    expect(histogram.maxMs).toBe(1000)
  })

  it('answers 0 when empty and starts over after reset', () => {
    const histogram = createLatencyHistogram()
    expect(histogram.percentile(0.5)).toBe(0)
    histogram.record(12)
    histogram.reset()
    expect(histogram.count).toBe(0)
    expect(histogram.percentile(0.99)).toBe(0)
  })
})

describe('createRunStats', () => {
  it('counts delivered points, rejections and retries', () => {
    const stats = createRunStats()
    stats.recordOutcome(
      {
        kind: 'delivered',
        status: 200,
        latencyMs: 5,
        result: { accepted: 7, duplicates: 2, rejected: [{ index: 3, error: 'bad' }] },
      },
      10,
    )
    stats.recordOutcome({ kind: 'retry', reason: 'HTTP 503', status: 503, latencyMs: 1 }, 10)
    expect(stats.counters).toMatchObject({
      acknowledged: 9,
      accepted: 7,
      duplicates: 2,
      rejected: 1,
      requests: 2,
      retried: 1,
      failures: { 'HTTP 503': 1 },
      statuses: { '200': 1, '503': 1 },
    })
  })
})
