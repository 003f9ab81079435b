import { randomBytes } from 'node:crypto'
import { hashOpaqueToken } from '@fms/auth'
import type { Database } from '@fms/db'
import { findLatestAccountTokenTime, replaceAccountToken } from '@fms/db/queries/account-tokens'
import { type EmailInsert, enqueueEmails, hasEmailSince } from '@fms/db/queries/email-outbox'
import { appLink, type EmailSettings, renderEmail } from './email-render.ts'

/** How long an emailed link works. */
export const VERIFY_EMAIL_TTL_MS = 48 * 3_600_000
export const RESET_PASSWORD_TTL_MS = 3_600_000
/** At most one new verification link per user in this time. */
export const VERIFICATION_RESEND_MS = 5 * 60_000

/** The user an account email is about. */
export interface MailUser {
  id: string
  orgId: string
  email: string
  orgName: string
}

/** `verify` after sign-up or sign-in, `invitation` for a user an admin added. */
export type AccountLinkKind = 'verify' | 'invitation' | 'reset'

/** A fresh token: 32 random bytes (base64url); only its digest is stored. */
function generateAccountToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashOpaqueToken(token) }
}

function renderLinkEmail(
  settings: EmailSettings,
  kind: AccountLinkKind,
  user: MailUser,
  token: string,
) {
  const org = user.orgName
  if (kind === 'reset') {
    return renderEmail({
      subject: 'Reset your FMS password',
      title: 'Reset your password',
      paragraphs: [
        `Someone asked to reset the password of ${user.email} (${org}) in FMS.`,
        'The link works once, for one hour. If it was not you, ignore this email: your password stays as it is.',
      ],
      action: {
        label: 'Choose a new password',
        url: appLink(settings, '/reset-password', { token }),
      },
    })
  }
  const url = appLink(settings, '/verify-email', { token })
  if (kind === 'invitation') {
    return renderEmail({
      subject: `You have an FMS account with ${org}`,
      title: `Welcome to ${org} on FMS`,
      paragraphs: [
        `An admin of ${org} created an FMS account for ${user.email}.`,
        'Confirm the address to sign in. The link works once, for 48 hours; your admin tells you the password.',
      ],
      action: { label: 'Confirm and sign in', url },
    })
  }
  return renderEmail({
    subject: 'Confirm your email address for FMS',
    title: 'Confirm your email address',
    paragraphs: [
      // Nothing the sign-up typed (the organization name) goes into it: anyone can sign up with
      // any address, and this email must not carry a stranger's text to it.
      `Confirm that ${user.email} is yours to finish setting up your FMS account.`,
      'The link works once, for 48 hours. If you did not sign up, ignore this email.',
    ],
    action: { label: 'Confirm and sign in', url },
  })
}

/**
 * Issues a single-use link for the user (replacing their older one of its purpose) and queues
 * the email, in the caller's transaction: the link is usable only if the email will go out.
 * A verification link goes at most once per `VERIFICATION_RESEND_MS` (checked and written in one
 * statement, so racing sign-ins can't both send one); false when it was held back.
 */
export async function sendAccountLink(
  tx: Database,
  settings: EmailSettings,
  params: { kind: AccountLinkKind; user: MailUser },
): Promise<boolean> {
  const { kind, user } = params
  const isReset = kind === 'reset'
  const { token, hash } = generateAccountToken()
  const stored = await replaceAccountToken(tx, {
    userId: user.id,
    purpose: isReset ? 'reset_password' : 'verify_email',
    tokenHash: hash,
    email: user.email,
    expiresAt: new Date(Date.now() + (isReset ? RESET_PASSWORD_TTL_MS : VERIFY_EMAIL_TTL_MS)),
    minIntervalMs: kind === 'verify' ? VERIFICATION_RESEND_MS : 0,
  })
  if (!stored) return false
  const purpose = isReset ? 'reset_password' : kind === 'invitation' ? 'invitation' : 'verify_email'
  const email: EmailInsert = {
    orgId: user.orgId,
    userId: user.id,
    purpose,
    toAddress: user.email,
    ...renderLinkEmail(settings, kind, user, token),
  }
  await enqueueEmails(tx, [email])
  return true
}

/**
 * Milliseconds until the user may get another verification link (0: now). Read in the
 * transaction that then sends it.
 */
export async function verificationWaitMs(tx: Database, userId: string): Promise<number> {
  const last = await findLatestAccountTokenTime(tx, { userId, purpose: 'verify_email' })
  if (!last) return 0
  return Math.max(0, last.getTime() + VERIFICATION_RESEND_MS - Date.now())
}

/**
 * Tells the owner of a taken address that someone tried to sign up with it. Carries nothing
 * from the attempt (the organization name is the stranger's text), only links to sign in and
 * to reset the password.
 */
export async function sendAccountExists(
  tx: Database,
  settings: EmailSettings,
  user: { id: string; orgId: string; email: string },
): Promise<void> {
  // One such email per address in the resend interval: repeated sign-ups can't flood the owner.
  const since = new Date(Date.now() - VERIFICATION_RESEND_MS)
  if (
    await hasEmailSince(tx, {
      orgId: user.orgId,
      toAddress: user.email,
      purpose: 'account_exists',
      since,
    })
  ) {
    return
  }
  const rendered = renderEmail({
    subject: 'You already have an FMS account',
    title: 'You already have an account',
    paragraphs: [
      `Someone tried to create an FMS account with ${user.email}, which already has one.`,
      'If it was you: sign in, or reset your password if you forgot it. If not, ignore this email; nothing was changed.',
    ],
    action: { label: 'Sign in', url: appLink(settings, '/login') },
    footerLink: { label: 'Reset your password', url: appLink(settings, '/forgot-password') },
  })
  await enqueueEmails(tx, [
    {
      orgId: user.orgId,
      userId: user.id,
      purpose: 'account_exists',
      toAddress: user.email,
      ...rendered,
    },
  ])
}
