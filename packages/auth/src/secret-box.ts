import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'

const VERSION = 'v1'

/**
 * A 256-bit key for `sealSecret`, derived from a server secret (HMAC-SHA-256 with a purpose
 * label), so one configured secret yields independent keys for independent uses.
 */
export function deriveSecretKey(serverSecret: string, purpose: string): Buffer {
  return createHmac('sha256', serverSecret).update(`fms-secret-box:${purpose}`).digest()
}

/** AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url), a fresh 96-bit IV each time. */
export function sealSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [VERSION, iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.')
}

/** The plaintext of `sealSecret`'s output; throws when it was altered or sealed with another key. */
export function openSecret(key: Buffer, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.')
  if (version !== VERSION || !iv || !tag || data === undefined)
    throw new Error('Not a sealed secret')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([
    decipher.update(Buffer.from(data, 'base64url')),
    decipher.final(),
  ]).toString('utf8')
}
