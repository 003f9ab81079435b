/**
 * Secrets that were published (in this repository, its history or its docs): whoever reads the
 * repository can sign tokens with them, so production refuses them however long they are.
 */
const PUBLISHED_SECRETS = new Set([
  'local-compose-only-jwt-secret-change-me-0000',
  'fms-local-only',
  'fms-demo-password',
  'secret',
])

/**
 * Words that mark a value someone typed as an example rather than generated. A word of six
 * letters or more counts anywhere in the value (random base64 spells one about once in ten
 * million draws); a shorter one only standing apart from other letters ("test-…", "…_demo_1"),
 * as a random draw almost never has it. Hex secrets can contain none of them.
 */
const PLACEHOLDER_WORDS = [
  'secret',
  'change',
  'example',
  'sample',
  'test',
  'demo',
  'default',
  'local',
  'password',
  'passwd',
  'replace',
  'placeholder',
  'dummy',
  'insecure',
  'qwerty',
  'letmein',
]

const MIN_LENGTH = 32
const MIN_DISTINCT_CHARACTERS = 12
/** Shannon entropy of the characters times the length: a rough floor for "random". */
const MIN_ESTIMATED_BITS = 128

/**
 * Why a secret is not fit for production, or null. Published values, placeholders, short or
 * repetitive strings are refused; what `openssl rand -base64 48` or `-hex 32` prints passes.
 */
export function weakSecretReason(secret: string): string | null {
  if (PUBLISHED_SECRETS.has(secret)) return 'is published in the FMS repository'
  if (secret.length < MIN_LENGTH) return `must be at least ${MIN_LENGTH} characters`
  const word = findPlaceholderWord(secret)
  if (word) return `looks like a placeholder (contains "${word}")`
  // Eight in a row: random hex shows four ("0000") in one draw of seventy, six in 20,000.
  if (/(.)\1{7}/.test(secret)) return 'repeats a character eight times in a row'
  const counts = new Map<string, number>()
  for (const character of secret) counts.set(character, (counts.get(character) ?? 0) + 1)
  if (counts.size < MIN_DISTINCT_CHARACTERS) return 'uses too few different characters'
  let bitsPerCharacter = 0
  for (const count of counts.values()) {
    const p = count / secret.length
    bitsPerCharacter -= p * Math.log2(p)
  }
  if (bitsPerCharacter * secret.length < MIN_ESTIMATED_BITS) return 'is not random enough'
  return null
}

function findPlaceholderWord(secret: string): string | undefined {
  const lower = secret.toLowerCase()
  return PLACEHOLDER_WORDS.find((word) =>
    word.length >= 6 ? lower.includes(word) : new RegExp(`(^|[^a-z])${word}($|[^a-z])`).test(lower),
  )
}

/** A password inside a postgres:// URL that is published or a placeholder, or null. */
export function weakDatabasePasswordReason(url: string): string | null {
  let password: string
  try {
    password = decodeURIComponent(new URL(url).password)
  } catch {
    return null
  }
  if (!password) return null
  if (PUBLISHED_SECRETS.has(password)) return 'has a password published in the FMS repository'
  const lower = password.toLowerCase()
  const word = PLACEHOLDER_WORDS.find((w) => lower === w || lower.startsWith(w))
  return word ? `has a placeholder password ("${word}…")` : null
}
