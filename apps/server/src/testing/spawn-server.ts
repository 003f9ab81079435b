import { type SpawnedServer, spawnServer as spawnServerProcess } from '@fms/testkit'

export type { SpawnedServer }

const MAIN = new URL('../main.ts', import.meta.url).pathname

/** Starts this package's `main.ts` as its own process (so it can be killed); resolves once it listens. */
export function spawnServer(env: Record<string, string> = {}): Promise<SpawnedServer> {
  return spawnServerProcess({ env, command: [process.execPath, '--import', 'tsx', MAIN] })
}
