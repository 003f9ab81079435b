import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { WorkGate } from './password-work.ts'

function deferred() {
  let resolve = () => {}
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return { promise, resolve }
}

describe('WorkGate', () => {
  it('runs at most `concurrency` at once and refuses beyond `maxWaiting` with 503', async () => {
    const gate = new WorkGate({ concurrency: 2, maxWaiting: 1 })
    const release = deferred()
    let active = 0
    let peak = 0
    const work = async () => {
      active++
      peak = Math.max(peak, active)
      await release.promise
      active--
    }
    const accepted = [gate.run(work), gate.run(work), gate.run(work)]
    const refused = await gate.run(work).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).code).toBe('SERVICE_UNAVAILABLE')
    expect((refused as AppError).retryAfterSec).toBe(1)
    release.resolve()
    await Promise.all(accepted)
    expect(peak).toBe(2)
    // Every slot is free again.
    await Promise.all([
      gate.run(async () => {}),
      gate.run(async () => {}),
      gate.run(async () => {}),
    ])
  })
})
