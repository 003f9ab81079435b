import { createHash } from 'node:crypto'
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { z } from 'zod'

/**
 * What provisioning leaves behind for the next run: above all the device token's secret, which
 * the server shows only once. Kept in `.data/` (gitignored), readable by the owner only.
 */
const ZSimState = z.object({
  version: z.literal(1),
  server: z.string(),
  email: z.string(),
  orgId: z.string(),
  token: z.object({ id: z.string(), secret: z.string() }),
  vehicles: z.array(z.object({ code: z.string(), vehicleId: z.string(), deviceId: z.string() })),
})
export type TSimState = z.infer<typeof ZSimState>

/** `.data/sim-<host>-<hash of the email>.json`: one file per server and account. */
export function buildStatePath(server: string, email: string, dir = '.data'): string {
  const host = new URL(server).host.replace(/[^A-Za-z0-9.-]/g, '_')
  const hash = createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 12)
  return join(dir, `sim-${host}-${hash}.json`)
}

/** The saved state, or null when there is none or it is unreadable (then we provision anew). */
export async function readState(path: string): Promise<TSimState | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return null
  }
  try {
    const parsed = ZSimState.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Writes atomically (temp file + rename) with mode 0600. */
export async function writeState(path: string, state: TSimState): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
  await chmod(temp, 0o600)
  await rename(temp, path)
}
