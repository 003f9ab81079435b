/**
 * The one way FMS renders an email: a plain-text part and an HTML part from the same blocks.
 * Every string that reaches an email can come from a user (vehicle codes, alert messages, names),
 * so HTML is escaped here, in one place, and header text is stripped of line breaks.
 */

/** Where email links point and what they are signed with; absent from the deps: email is off. */
export interface EmailSettings {
  /** The web app's public address (`PUBLIC_URL`), without a trailing slash. */
  appUrl: string
  /** HMAC key for links that work without signing in (unsubscribe). */
  linkSecret: string
}

export interface RenderedEmail {
  subject: string
  textBody: string
  htmlBody: string
}

export interface EmailTable {
  columns: string[]
  rows: string[][]
}

export interface EmailContent {
  subject: string
  /** The heading at the top of the HTML part. */
  title: string
  paragraphs?: string[]
  table?: EmailTable
  /** One button (HTML) / link line (text). */
  action?: { label: string; url: string }
  /** Small print at the end: why the reader got it, how to stop it. */
  footer?: string[]
  footerLink?: { label: string; url: string }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)
}

/** A header value from hostile text: no control characters (CR/LF), one line, at most `max`. */
export function headerSafe(value: string, max = 200): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const oneLine = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ')
  const trimmed = oneLine.trim()
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed
}

/** A link into the web app (`#/path`), with query parameters encoded. */
export function appLink(
  settings: Pick<EmailSettings, 'appUrl'>,
  path: string,
  query: Record<string, string> = {},
): string {
  const search = new URLSearchParams(query).toString()
  return `${settings.appUrl}/#${path}${search ? `?${search}` : ''}`
}

function textTable(table: EmailTable): string {
  return table.rows
    .map((row) => row.map((cell, i) => `${table.columns[i] ?? ''}: ${cell}`).join(' | '))
    .join('\n')
}

function htmlTable(table: EmailTable): string {
  const cell = 'style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left"'
  const head = table.columns.map((c) => `<th ${cell}>${escapeHtml(c)}</th>`).join('')
  const body = table.rows
    .map((row) => `<tr>${row.map((c) => `<td ${cell}>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('\n')
  return `<table style="border-collapse:collapse;font-size:14px"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** Renders both parts; every text in `content` is treated as untrusted. */
export function renderEmail(content: EmailContent): RenderedEmail {
  const text: string[] = [content.title, '']
  const html: string[] = [
    '<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#222">',
    `<h1 style="font-size:18px">${escapeHtml(content.title)}</h1>`,
  ]
  for (const paragraph of content.paragraphs ?? []) {
    text.push(paragraph, '')
    html.push(`<p>${escapeHtml(paragraph)}</p>`)
  }
  if (content.table && content.table.rows.length > 0) {
    text.push(textTable(content.table), '')
    html.push(htmlTable(content.table))
  }
  if (content.action) {
    text.push(`${content.action.label}: ${content.action.url}`, '')
    html.push(
      `<p><a href="${escapeHtml(content.action.url)}" style="display:inline-block;padding:8px 14px;background:#1f5fbf;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(content.action.label)}</a></p>`,
    )
  }
  if ((content.footer?.length ?? 0) > 0 || content.footerLink) {
    text.push('--')
    html.push('<hr><p style="font-size:12px;color:#666">')
    for (const line of content.footer ?? []) {
      text.push(line)
      html.push(`${escapeHtml(line)}<br>`)
    }
    if (content.footerLink) {
      text.push(`${content.footerLink.label}: ${content.footerLink.url}`)
      html.push(
        `<a href="${escapeHtml(content.footerLink.url)}">${escapeHtml(content.footerLink.label)}</a>`,
      )
    }
    html.push('</p>')
  }
  html.push('</body></html>')
  return {
    subject: headerSafe(content.subject),
    textBody: `${text.join('\n').trimEnd()}\n`,
    htmlBody: html.join('\n'),
  }
}
