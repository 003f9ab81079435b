import { AppError } from '../errors.ts'

/**
 * Password hashing is the expensive part of a sign-in or sign-up (argon2id: 19 MiB and tens of
 * milliseconds each). At most `concurrency` run at once and `maxWaiting` wait; past that a call
 * is refused with 503 + Retry-After at once, so a flood from many addresses queues nothing
 * without bound and the node keeps answering everything else.
 */
export class WorkGate {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly options: { concurrency: number; maxWaiting: number }) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.maxWaiting) {
        throw new AppError('SERVICE_UNAVAILABLE', 'Too many sign-ins at once; try again', {
          retryAfterSec: 1,
        })
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.running++
    }
    try {
      return await work()
    } finally {
      // The slot passes straight to the next waiter, or is freed.
      const next = this.waiting.shift()
      if (next) next()
      else this.running--
    }
  }
}

/** The password work of this process (shared by every request and socket). */
export const PASSWORD_WORK = new WorkGate({ concurrency: 4, maxWaiting: 200 })
