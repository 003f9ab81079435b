import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.spec.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Live updates arrive within a second or two; allow a slow machine plenty more.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
})
