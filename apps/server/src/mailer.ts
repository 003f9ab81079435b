import type { Database } from '@fms/db'
import { claimDueEmails, type EmailResult, markEmailResult } from '@fms/db/queries/email-outbox'
import type { EmailOutboxRow } from '@fms/db/schema'
import { createTransport, type Transporter } from 'nodemailer'
import { errorFields, logger } from './logger.ts'
import { startWorkLoop } from './work-loop.ts'

export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…` (`SMTP_URL`). */
  smtpUrl: string
  /** The From address (`SMTP_FROM`), e.g. `FMS <fleet@example.com>`. */
  from: string
  intervalMs?: number
  batchSize?: number
  /** Connection, greeting and socket timeouts of one attempt. */
  timeoutMs?: number
  /** First retry delay; doubles per attempt, with up to +20 % jitter. */
  backoffMs?: number
  /** After this many failed attempts an email is `failed`. */
  maxAttempts?: number
  autoStart?: boolean
}

const MAX_ERROR = 500

/** An SMTP answer that will not change on retry (5xx): the email fails now. */
/** The send error as logged: nodemailer's code first (`ETIMEDOUT: Greeting never received`). */
function describeSendError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && code ? `${code}: ${error.message}` : error.message
}

function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown } | null)?.responseCode
  return typeof code === 'number' && code >= 500 && code < 600
}

/** The domain of the (last) address in a From value: `FMS <alerts@fleet.example>` → `fleet.example`. */
function findAddressDomain(from: string): string | null {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)
  return match?.[1] ?? null
}

/**
 * Sends what `email_outbox` holds through SMTP: claims due rows (one node per row), sends each,
 * and records the result; a failure is retried with exponential backoff until `maxAttempts`, a
 * permanent refusal (5xx) fails at once. Every result is logged (without the body). Sending runs
 * beside ingestion and never holds it up: the queue is a table, the work is this loop's.
 */
export function startMailer(db: Database, options: MailerOptions) {
  const timeoutMs = options.timeoutMs ?? 15_000
  const backoffMs = options.backoffMs ?? 30_000
  const maxAttempts = options.maxAttempts ?? 8
  const batchSize = options.batchSize ?? 20
  const url = new URL(options.smtpUrl)
  const messageDomain = findAddressDomain(options.from) ?? 'fms.localhost'
  const isTls = url.protocol === 'smtps:'
  const transport: Transporter = createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : isTls ? 465 : 587,
    secure: isTls,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  })

  async function send(email: EmailOutboxRow): Promise<EmailResult> {
    const attempts = email.attempts + 1
    const now = Date.now()
    try {
      await transport.sendMail({
        from: options.from,
        to: email.toAddress,
        subject: email.subject,
        text: email.textBody,
        html: email.htmlBody,
        headers: email.headers,
        // The same id on every attempt, so a receiver can tell a retried email from a new one.
        messageId: `<${email.id}@${messageDomain}>`,
        attachments: email.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      })
      logger.info('email sent', { id: email.id, purpose: email.purpose, attempts })
      return {
        id: email.id,
        status: 'sent',
        attempts,
        nextAttemptAt: new Date(now),
        lastError: null,
        sentAt: new Date(now),
      }
    } catch (error) {
      const lastError = describeSendError(error).slice(0, MAX_ERROR)
      const isFailed = isPermanent(error) || attempts >= maxAttempts
      const delay = backoffMs * 2 ** (attempts - 1) * (1 + Math.random() * 0.2)
      logger.warn(isFailed ? 'email failed' : 'email not sent; will retry', {
        id: email.id,
        purpose: email.purpose,
        attempts,
        error: lastError,
      })
      return {
        id: email.id,
        status: isFailed ? 'failed' : 'pending',
        attempts,
        nextAttemptAt: new Date(isFailed ? now : now + delay),
        lastError,
        sentAt: null,
      }
    }
  }

  /**
   * Up to `batchSize` emails, each claimed just before it is sent: a lease covers one send (its
   * connect, greeting and socket timeouts together), never a queue of them, so a slow relay
   * cannot let a lease run out on an email still waiting here while another node takes it.
   */
  async function round(): Promise<number> {
    let handled = 0
    while (handled < batchSize) {
      const [email] = await claimDueEmails(db, {
        now: new Date(),
        limit: 1,
        leaseMs: timeoutMs * 4 + 5000,
      })
      if (!email) break
      handled += 1
      const result = await send(email)
      if (!(await markEmailResult(db, result, email.nextAttemptAt))) {
        logger.warn('email claim lapsed before its result was recorded', { id: email.id })
      }
    }
    return handled
  }

  const loop = startWorkLoop(round, {
    intervalMs: options.intervalMs ?? 1000,
    autoStart: options.autoStart,
    onError: (error) => logger.warn('mailer round failed', errorFields(error)),
  })

  return {
    runOnce: loop.runOnce,
    async close() {
      await loop.stop()
      transport.close()
    },
  }
}

export type Mailer = ReturnType<typeof startMailer>
