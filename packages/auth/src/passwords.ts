import { randomUUID } from 'node:crypto'
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2'

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 256

// `Algorithm` is an ambient const enum, which `isolatedModules` cannot read (and the runtime
// object is empty), so its value is spelled out: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm

/** OWASP password storage cheat sheet, argon2id first option: 19 MiB, 2 passes, 1 lane. */
const HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const

/**
 * Upper bounds on the parameters of a stored hash we agree to verify. A hash string carries its
 * own cost, so a corrupted or planted `m=4294967295` would otherwise allocate terabytes.
 */
const MAX_MEMORY_COST = 262_144
const MAX_TIME_COST = 10
const MAX_PARALLELISM = 8

/** Hashes a password with argon2id and a fresh random salt; returns a PHC string. */
export async function hashPassword(plain: string): Promise<string> {
  return hash(plain, HASH_OPTIONS)
}

function isVerifiableHash(encoded: string): boolean {
  try {
    const options = parseOptions(encoded)
    return (
      options.algorithm === ARGON2ID &&
      options.memoryCost <= MAX_MEMORY_COST &&
      options.timeCost <= MAX_TIME_COST &&
      options.parallelism <= MAX_PARALLELISM
    )
  } catch {
    return false
  }
}

/**
 * Checks a password against a stored PHC hash. Never throws: a malformed, non-argon2id or
 * absurdly expensive hash, or a password longer than any we accept, is simply `false`. A stored
 * value that is no hash at all (an account without a password, such as one made by single
 * sign-on) costs the same work as a real one, so the answer's timing can't single such accounts
 * out.
 */
export async function verifyPassword(hashed: string, plain: string): Promise<boolean> {
  if (typeof hashed !== 'string' || typeof plain !== 'string') return false
  if (plain.length > PASSWORD_MAX_LENGTH) return false
  if (!isVerifiableHash(hashed)) return verifyDummyPassword(plain)
  try {
    return await verify(hashed, plain)
  } catch {
    return false
  }
}

let dummyHash: Promise<string> | undefined

/** A hash of a random password with the current parameters, computed once per process. */
function getDummyHash(): Promise<string> {
  if (!dummyHash) {
    dummyHash = hashPassword(randomUUID()).catch((error: unknown) => {
      dummyHash = undefined
      throw error
    })
  }
  return dummyHash
}

/**
 * Spends the same work as `verifyPassword` for a login naming an unknown user, so that response
 * time does not reveal which accounts exist (OWASP authentication cheat sheet). Always `false`.
 */
export async function verifyDummyPassword(plain: string): Promise<false> {
  // Refused unhashed whoever it names (see verifyPassword): the same time for every account.
  if (typeof plain !== 'string' || plain.length > PASSWORD_MAX_LENGTH) return false
  try {
    const dummy = await getDummyHash()
    await verify(dummy, plain)
  } catch {
    // The outcome is fixed; only the time spent matters.
  }
  return false
}
