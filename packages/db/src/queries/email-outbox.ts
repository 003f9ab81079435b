import { and, asc, eq, gt, inArray, lte } from 'drizzle-orm'
import type { Database } from '../client.ts'
import {
  type EmailAttachment,
  type EmailPurpose,
  type EmailStatus,
  emailOutbox,
} from '../schema/index.ts'

export interface EmailInsert {
  orgId: string | null
  userId: string | null
  purpose: EmailPurpose
  toAddress: string
  subject: string
  textBody: string
  htmlBody: string
  headers?: Record<string, string>
  attachments?: EmailAttachment[]
}

/** Queues rendered emails (in the caller's transaction, so they go out only if it commits). */
export async function enqueueEmails(db: Database, emails: EmailInsert[]) {
  if (emails.length === 0) return []
  return db
    .insert(emailOutbox)
    .values(emails)
    .returning({ id: emailOutbox.id, toAddress: emailOutbox.toAddress })
}

/**
 * Claims up to `limit` due pending emails by pushing their next attempt `leaseMs` ahead (`skip
 * locked`: no other node takes them meanwhile; a node that dies leaves them to retry after the
 * lease). Returns the whole rows.
 */
export async function claimDueEmails(
  db: Database,
  params: { now: Date; limit: number; leaseMs: number },
) {
  const due = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.status, 'pending'), lte(emailOutbox.nextAttemptAt, params.now)))
    .orderBy(asc(emailOutbox.nextAttemptAt))
    .limit(params.limit)
    .for('update', { skipLocked: true })
  return db
    .update(emailOutbox)
    .set({ nextAttemptAt: new Date(params.now.getTime() + params.leaseMs) })
    .where(inArray(emailOutbox.id, due))
    .returning()
}

export interface EmailResult {
  id: string
  status: EmailStatus
  attempts: number
  nextAttemptAt: Date
  lastError: string | null
  sentAt: Date | null
}

/**
 * Records a send attempt, only while the claim is still ours (`leasedUntil` is what the claim set):
 * a node whose lease ran out, and whose email another node has since claimed, writes nothing.
 * Returns whether it was recorded.
 */
export async function markEmailResult(
  db: Database,
  result: EmailResult,
  leasedUntil: Date,
): Promise<boolean> {
  const { id, ...set } = result
  const rows = await db
    .update(emailOutbox)
    .set(set)
    .where(
      and(
        eq(emailOutbox.id, id),
        eq(emailOutbox.status, 'pending'),
        eq(emailOutbox.nextAttemptAt, leasedUntil),
      ),
    )
    .returning({ id: emailOutbox.id })
  return rows.length > 0
}

/** Whether an email of this purpose was queued to this address of the organization since `since`. */
export async function hasEmailSince(
  db: Database,
  params: { orgId: string; toAddress: string; purpose: EmailPurpose; since: Date },
): Promise<boolean> {
  const rows = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(
      and(
        eq(emailOutbox.orgId, params.orgId),
        eq(emailOutbox.toAddress, params.toAddress),
        eq(emailOutbox.purpose, params.purpose),
        gt(emailOutbox.createdAt, params.since),
      ),
    )
    .limit(1)
  return rows.length > 0
}
