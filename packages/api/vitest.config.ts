import { defineConfig } from 'vitest/config'

// The same database suite runs twice: on the real PostgreSQL server (scratch database per file)
// and on the embedded PGlite with TimescaleDB.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'postgres', env: { FMS_TEST_DB: 'postgres' } } },
      { extends: true, test: { name: 'pglite', env: { FMS_TEST_DB: 'pglite' } } },
    ],
  },
})
