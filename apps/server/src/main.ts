import { constants as osConstants } from 'node:os'
import { ConfigError, loadConfig } from './env.ts'
import { errorFields, logger } from './logger.ts'
import { startServer } from './server.ts'

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
  if (config.isJwtSecretEphemeral) {
    logger.warn('JWT_SECRET is not set: using a throwaway secret, sessions end on restart')
  }
  // The signal handlers are in place before the server announces itself: a supervisor (or a test)
  // may send SIGTERM the moment it reads "server listening", and Node's default would kill the
  // process without draining the writer. A signal is a macrotask, so once the announcement is
  // written it is handled after `server` is set; one that comes during start-up ends the process
  // as the default would, with nothing accepted yet to drain.
  let server: Awaited<ReturnType<typeof startServer>> | undefined
  let isStopping = false
  const stop = (signal: 'SIGTERM' | 'SIGINT') => {
    if (isStopping) return
    isStopping = true
    logger.info('shutting down', { signal })
    if (!server) process.exit(128 + osConstants.signals[signal])
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', errorFields(error))
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  server = await startServer(config)
}

main().catch((error: unknown) => {
  logger.error('server failed to start', errorFields(error))
  process.exit(1)
})
