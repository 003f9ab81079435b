export { ConfigError, loadConfig, type ServerConfig } from './env.ts'
export { type RunningServer, startServer } from './server.ts'
