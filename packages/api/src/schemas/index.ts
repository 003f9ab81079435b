// Browser-safe: zod only. Shared by the routers, the web forms, the ingestion handler and the simulator.
export * from './auth.ts'
export * from './common.ts'
export * from './devices.ts'
export * from './live.ts'
export * from './telemetry.ts'
export * from './tokens.ts'
export * from './users.ts'
export * from './vehicles.ts'
