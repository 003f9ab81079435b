/**
 * The simulator as a library, for compositions of several apps (the root `scripts/` demo):
 * provision a fleet over the API, then drive it.
 */
export { type ApiClient, createApiClient, readErrorCode } from './api-client.ts'
export { DEFAULTS } from './args.ts'
export { watchSignals } from './command.ts'
export { createReporter, type Reporter } from './output.ts'
export { type ProvisionedFleet, provisionFleet } from './provision.ts'
export { createRandomSeed } from './random.ts'
export { type RunOptions, runSimulation } from './run.ts'
export { buildStatePath } from './state-file.ts'
export { startTracker, type Tracker, type TrackerOptions } from './tracker.ts'
