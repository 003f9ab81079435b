// The live path: the bus between nodes (in-process or Redis Streams), the hub that fans it out
// to subscribers, the shared frames they receive and the WebSocket close codes.
export * from './bus.ts'
export * from './close-codes.ts'
export * from './compact.ts'
export * from './frame.ts'
export * from './hub.ts'
export { createRedisLiveBus, type LiveBusWarn, RedisLiveBus } from './redis-bus.ts'
export { createRedisClient, type RedisClient } from './redis-client.ts'
export * from './types.ts'
