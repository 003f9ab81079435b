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
  const server = await startServer(config)
  let isStopping = false
  const stop = (signal: string) => {
    if (isStopping) return
    isStopping = true
    logger.info('shutting down', { signal })
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
}

main().catch((error: unknown) => {
  logger.error('server failed to start', errorFields(error))
  process.exit(1)
})
