export { type ApiClient, createApiClient, readErrorCode } from './api-client.ts'
export { CHROMIUM_ARGS, launchChromium } from './chromium.ts'
export {
  type Fleet,
  type FleetOptions,
  type FleetVehicle,
  provisionFleet,
  randomVin,
  readLinkToken,
  requireSignedIn,
  type Session,
  signUp,
  TEST_PASSWORD,
  uniqueEmail,
} from './fleet.ts'
export {
  type IngestAnswer,
  type PostOptions,
  postPoints,
  postTelemetry,
  type WirePoint,
} from './ingest.ts'
export {
  type ReceivedFrame,
  subscribeAlerts,
  subscribeLive,
  subscribeNotifications,
} from './live-client.ts'
export {
  createHistory,
  createTrip,
  type DriveOptions,
  makePoints,
  moveAlong,
  startDriving,
  type TripOptions,
  wireKey,
} from './points.ts'
export {
  type SpawnedServer,
  type SpawnOptions,
  spawnServer,
  TEST_JWT_SECRET,
  TEST_METRICS_TOKEN,
  TEST_SERVER_ENV,
} from './server-process.ts'
export * from './smtp.ts'
