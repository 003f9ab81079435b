import { lookup } from 'node:dns/promises'
import { AppError } from '../errors.ts'
import { checkWebhookHost, type LookupAll } from '../schemas/index.ts'

/** Every address of a host, in the resolver's order. */
export const lookupAll: LookupAll = (hostname) => lookup(hostname, { all: true, verbatim: true })

/**
 * Resolves a webhook URL's host when it is saved; BAD_REQUEST with a field error on `url` when the
 * name does not resolve or any of its addresses is not public (see `checkWebhookHost`).
 */
export async function assertPublicWebhookUrl(url: string, allowPrivate = false): Promise<void> {
  const check = await checkWebhookHost(url, { lookup: lookupAll, allowPrivate })
  if (!check.ok) {
    const message = `Must be a public address: ${check.error}`
    throw new AppError('BAD_REQUEST', message, { fieldErrors: { url: [message] } })
  }
}
