import { configDefaults, defineConfig } from 'vitest/config'

// `ingest-pg-stop.test.ts` stops the shared PostgreSQL server, which would break every other
// database test running beside it: it is its own project, run alone after the others
// (groupOrder for a plain `vitest run`; the package `test` script runs the two one after another).
const PG_STOP = 'src/ingest-pg-stop.test.ts'

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'default',
          exclude: [...configDefaults.exclude, PG_STOP],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'pg-stop', include: [PG_STOP], sequence: { groupOrder: 1 } },
      },
    ],
  },
})
