// @ts-check
// One-shot job of the compose stack: waits for the server, then registers the organization and
// admin that the simulator signs in with. An account that already exists counts as done, so the
// job can run on every `docker compose up`. Plain JavaScript: it runs with the image's Node alone.
//
//   FMS_URL=http://lb FMS_ADMIN_EMAIL=… FMS_ADMIN_PASSWORD=… node create-admin.mjs

const READY_TIMEOUT_MS = 180_000
const RETRY_MS = 2000

/**
 * The tRPC HTTP request for `auth.register` (superjson transformer: the input rides in `json`).
 * @param {{ email: string, password: string, orgName: string }} input
 */
export function buildRegisterRequest(input) {
  return {
    path: '/trpc/auth.register',
    init: {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ json: input }),
    },
  }
}

/**
 * What a register answer means for this job: created, already there (CONFLICT), or a failure.
 * @param {number} status
 * @returns {'created' | 'exists' | 'failed'}
 */
export function classifyRegisterStatus(status) {
  if (status === 200) return 'created'
  if (status === 409) return 'exists'
  return 'failed'
}

/**
 * @param {string} name
 * @param {NodeJS.ProcessEnv} env
 */
function required(name, env) {
  const value = env[name]
  if (!value) throw new Error(`${name} is required`)
  return value
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** @param {string} base */
async function waitForReady(base) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    const isReady = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(3000) }).then(
      (res) => res.ok,
      () => false,
    )
    if (isReady) return
    await sleep(RETRY_MS)
  }
  throw new Error(`${base}/readyz did not answer 200 within ${READY_TIMEOUT_MS / 1000} s`)
}

/** @param {NodeJS.ProcessEnv} env */
export async function createAdmin(env) {
  const base = (env.FMS_URL ?? 'http://lb').replace(/\/+$/, '')
  const email = required('FMS_ADMIN_EMAIL', env)
  const input = {
    email,
    password: required('FMS_ADMIN_PASSWORD', env),
    orgName: env.FMS_ORG_NAME ?? 'Demo fleet',
  }
  await waitForReady(base)
  const { path, init } = buildRegisterRequest(input)
  const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(15_000) })
  const outcome = classifyRegisterStatus(res.status)
  if (outcome === 'failed') {
    throw new Error(`registering ${email} failed: ${res.status} ${await res.text()}`)
  }
  return outcome
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createAdmin(process.env).then(
    (outcome) => {
      process.stdout.write(`admin ${process.env.FMS_ADMIN_EMAIL}: ${outcome}\n`)
    },
    (error) => {
      process.stderr.write(`create-admin: ${error instanceof Error ? error.message : error}\n`)
      process.exit(1)
    },
  )
}
