export * from './copy-binary.ts'
export * from './rows.ts'
export * from './sinks.ts'
export * from './writer.ts'
