import { loadConfig } from '../env.ts'
import { type RunningServer, startServer } from '../server.ts'

export const TEST_JWT_SECRET = 'server-test-secret-'.padEnd(48, 'x')
/** `/metrics` needs a bearer token on the public port; test servers use this one. */
export const TEST_METRICS_TOKEN = 'server-test-metrics-token'

/** The real server on an ephemeral port over an in-memory embedded database, unless overridden. */
export function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  return startServer(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      METRICS_TOKEN: TEST_METRICS_TOKEN,
      // Test files register many organizations from one address; the limit has its own test.
      AUTH_REGISTER_LIMIT: '100000',
      FMS_DATA_DIR: 'memory://',
      FMS_WEB_DIST: '/nonexistent',
      ...env,
    }),
  )
}
