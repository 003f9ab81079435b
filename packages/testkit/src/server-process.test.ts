import { describe, expect, it } from 'vitest'
import { spawnServer } from './server-process.ts'

/**
 * A stand-in server: announces a URL the way the real one logs it, then waits for a signal. The
 * handler is in place before the announcement, as in the real server: the test may signal the
 * moment it reads the line, before the child runs another statement.
 */
const FAKE_SERVER = `
  process.on('SIGTERM', () => { console.log('stopping'); process.exit(0) })
  console.log(JSON.stringify({ message: 'server listening', url: 'http://127.0.0.1:' + process.env.PORT }))
  setInterval(() => {}, 1000)
`

describe('spawnServer', () => {
  it('resolves with the URL the process announces and stops it with SIGTERM', async () => {
    const server = await spawnServer({ command: [process.execPath, '-e', FAKE_SERVER] })
    expect(server.url).toBe('http://127.0.0.1:0')
    expect(await server.stop()).toBe(0)
    expect(server.output()).toContain('stopping')
  })

  it('passes the settings over the test defaults', async () => {
    const server = await spawnServer({
      command: [process.execPath, '-e', FAKE_SERVER],
      env: { PORT: '81' },
    })
    expect(server.url).toBe('http://127.0.0.1:81')
    await server.stop()
  })

  it('fails with what the process said when it exits before listening', async () => {
    await expect(
      spawnServer({
        command: [process.execPath, '-e', 'console.error("bad JWT_SECRET"); process.exit(1)'],
      }),
    ).rejects.toThrow(/exited \(1\) before listening: bad JWT_SECRET/)
  })

  it('fails clearly when the command does not exist', async () => {
    await expect(spawnServer({ command: ['fms-no-such-command'] })).rejects.toThrow(
      /could not run fms-no-such-command/,
    )
  })
})
