import { TEST_SERVER_ENV } from '@fms/testkit'
import { loadConfig } from '../env.ts'
import { type RunningServer, startServer } from '../server.ts'

/** The real server on an ephemeral port over an in-memory embedded database, unless overridden. */
export function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return startServer(loadConfig({ ...TEST_SERVER_ENV, ...env }))
}
