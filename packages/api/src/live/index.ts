export * from './bus.ts'
export * from './frame.ts'
export * from './hub.ts'
export * from './types.ts'
