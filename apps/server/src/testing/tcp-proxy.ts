import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP proxy to a real service that a test can cut and restore, to simulate the database going
 * away without stopping the shared server.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0

  async function listen(): Promise<void> {
    server = createServer((client) => {
      const upstream = connect(target.port, target.host)
      sockets.add(client).add(upstream)
      const drop = () => {
        client.destroy()
        upstream.destroy()
        sockets.delete(client)
        sockets.delete(upstream)
      }
      client.on('error', drop).on('close', drop)
      upstream.on('error', drop).on('close', drop)
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((done) => server?.listen(port, '127.0.0.1', done))
    port = (server.address() as AddressInfo).port
  }

  await listen()
  return {
    get port() {
      return port
    },
    /** Refuses new connections and cuts the open ones. */
    async cut(): Promise<void> {
      for (const socket of sockets) socket.destroy()
      sockets.clear()
      await new Promise<void>((done) => server?.close(() => done()))
    },
    /** Accepts connections again on the same port. */
    restore: listen,
    close(): Promise<void> {
      return this.cut()
    },
  }
}
