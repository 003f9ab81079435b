import type { IncomingMessage, ServerResponse } from 'node:http'
import { type EmailSettings, escapeHtml, readUnsubscribeToken, UNSUBSCRIBE_PATH } from '@fms/api'
import type { Database } from '@fms/db'
import { removeEmailChannel } from '@fms/db/queries/notifications'

export { UNSUBSCRIBE_PATH }

/** A POST body is not needed (the token is in the URL); at most this much is read and dropped. */
const MAX_BODY_BYTES = 4096

function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  })
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>` +
      `<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  )
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) req.destroy()
    })
    req.on('end', resolve)
    req.on('close', resolve)
    req.on('error', resolve)
  })
}

/**
 * `GET /api/notifications/unsubscribe?token=`: a page asking to confirm (mail scanners follow
 * links; a GET changes nothing). `POST` (the page's button, or a mail app's one-click
 * `List-Unsubscribe-Post`, RFC 8058) takes email off the subscription (or off all the user's
 * subscriptions) the signed token names. No sign-in: the token is the proof; a forged or
 * altered one changes nothing. Email being off, the link is not served.
 */
export async function handleUnsubscribe(
  req: IncomingMessage,
  res: ServerResponse,
  db: Database,
  settings: EmailSettings | undefined,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.setHeader('Allow', 'GET, POST')
    return sendPage(res, 405, 'Not allowed', '<p>Open the link from the email.</p>')
  }
  const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? ''
  const target = settings && token.length <= 200 ? readUnsubscribeToken(settings, token) : null
  if (req.method === 'POST') await drain(req)
  if (!target) {
    return sendPage(
      res,
      400,
      'This link is not valid',
      '<p>Change your notifications in FMS under Notifications instead.</p>',
    )
  }
  if (req.method === 'GET') {
    const what =
      'subscriptionId' in target
        ? 'emails of this notification subscription'
        : 'all your notification emails'
    return sendPage(
      res,
      200,
      'Unsubscribe',
      `<p>Stop ${escapeHtml(what)}? In-app notifications stay as they are.</p>` +
        `<form method="post" action="${escapeHtml(`${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`)}"><button type="submit">Unsubscribe</button></form>`,
    )
  }
  await removeEmailChannel(db, target)
  sendPage(
    res,
    200,
    'You are unsubscribed',
    '<p>No more of these emails will be sent. You can turn them back on under Notifications in FMS.</p>',
  )
}
