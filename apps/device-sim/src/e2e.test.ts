import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type SpawnedServer, spawnServer } from '@fms/testkit'

function signedIn<T extends { status: string }>(answer: T): Extract<T, { status: 'signed_in' }> {
  if (answer.status !== 'signed_in') throw new Error(`expected a session, got ${answer.status}`)
  return answer as Extract<T, { status: 'signed_in' }>
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from './api-client.ts'
import { parseSimArgs } from './args.ts'
import { createScaledClock } from './clock.ts'
import { runCommand } from './command.ts'
import { createReporter, type TextSink } from './output.ts'
import { provisionFleet } from './provision.ts'
import type { RunSummary } from './report.ts'
import { readState } from './state-file.ts'

const EMAIL = 'fleet-admin@example.com'
const PASSWORD = 'correct horse battery'
const SCALE = 20

function collect(): TextSink & { text: string } {
  const sink = { text: '', write: (chunk: string) => (sink.text += chunk) }
  return sink
}

describe('against the real server', () => {
  let server: SpawnedServer
  let dir: string
  let statePath: string

  beforeAll(async () => {
    // The server runs as its own process, as it does beside a real simulator.
    server = await spawnServer()
    await createApiClient(server.url).auth.register.mutate({
      email: EMAIL,
      password: PASSWORD,
      orgName: 'Simulated Fleet',
    })
    dir = await mkdtemp(join(tmpdir(), 'fms-sim-'))
    statePath = join(dir, 'state.json')
  })

  /** The rules worker assigns drivers from the committed stream shortly after the points land. */
  async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the drivers')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  afterAll(async () => {
    await server?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('provisions through the CLI path, drives the fleet and the server has every point', async () => {
    const parsed = parseSimArgs([
      ...['--server', server.url, '--email', EMAIL, '--password', PASSWORD],
      ...['--vehicles', '3', '--duration', '30', '--seed', '5', '--state', statePath, '--json'],
      ...['--anomalies', 'overspeed,overheat'],
    ])
    if (parsed.kind !== 'run') throw new Error(JSON.stringify(parsed))
    const stdout = collect()
    const reporter = createReporter({ stdout, stderr: collect(), isJson: true })
    // 30 simulated seconds in 1.5 real ones, ending in the past (the server refuses the future).
    const clock = createScaledClock({ startMs: Date.now() - 60_000, scale: SCALE })

    expect(await runCommand(parsed.options, reporter, { clock })).toBe(0)
    const summary = JSON.parse(stdout.text) as RunSummary
    expect(summary).toMatchObject({ vehicles: 3, generated: 90, acknowledged: 90, accepted: 90 })
    expect(summary).toMatchObject({ rejected: 0, pending: 0, seed: 5 })

    const session = signedIn(
      await createApiClient(server.url).auth.login.mutate({
        email: EMAIL,
        password: PASSWORD,
      }),
    )
    const { vehicles } = await createApiClient(
      server.url,
      session.accessToken,
    ).telemetry.latest.query()
    expect(vehicles.map((v) => v.code)).toEqual(['SIM-00001', 'SIM-00002', 'SIM-00003'])
    for (const vehicle of vehicles) {
      expect(vehicle.lat).toBeTypeOf('number')
      expect(vehicle.lon).toBeTypeOf('number')
      // The last point is the last tick: 29 simulated seconds after the first.
      expect(vehicle.time?.getTime()).toBe(Date.parse(summary.startedAt) + 29_000)
    }
    expect((await stat(statePath)).mode & 0o777).toBe(0o600)
    // Each vehicle's points name its simulated driver, whom the server assigned to it.
    const api = createApiClient(server.url, session.accessToken)
    const drivers = await api.drivers.list.query({ search: 'SIM-DRV-', sort: 'name', limit: 100 })
    expect(drivers.items).toHaveLength(3)
    await waitFor(async () => (await api.drivers.current.query()).items.length === 3)
    const current = await api.drivers.current.query()
    const byVehicle = new Map(current.items.map((item) => [item.vehicleCode, item.identifier]))
    expect(byVehicle.get('SIM-00001')).toBe('SIM-DRV-00001')
    expect(byVehicle.get('SIM-00003')).toBe('SIM-DRV-00003')
  })

  it('reuses the vehicles, devices and token on the next run', async () => {
    const saved = await readState(statePath)
    const again = await provisionFleet({
      server: server.url,
      email: EMAIL,
      password: PASSWORD,
      vehicles: 3,
      statePath,
    })
    expect(again).toMatchObject({ isTokenReused: true, createdVehicles: 0, createdDevices: 0 })
    expect(again.driverIdentifiers).toEqual(['SIM-DRV-00001', 'SIM-DRV-00002', 'SIM-DRV-00003'])
    expect(again.token).toBe(saved?.token.secret)
    expect(again.deviceIds).toEqual(saved?.vehicles.map((v) => v.deviceId))
  })

  it('serves added vehicles with a fresh token at once, revoking the old one', async () => {
    const saved = await readState(statePath)
    const grown = await provisionFleet({
      server: server.url,
      email: EMAIL,
      password: PASSWORD,
      vehicles: 5,
      statePath,
    })
    expect(grown).toMatchObject({ isTokenReused: false, createdVehicles: 2, createdDevices: 2 })
    expect(grown.deviceIds.slice(0, 3)).toEqual(saved?.vehicles.map((v) => v.deviceId))

    const parsed = parseSimArgs([
      ...['--server', server.url, '--email', EMAIL, '--password', PASSWORD],
      ...['--vehicles', '5', '--duration', '10', '--state', statePath, '--json'],
    ])
    if (parsed.kind !== 'run') throw new Error(JSON.stringify(parsed))
    const stdout = collect()
    const clock = createScaledClock({ startMs: Date.now() - 15_000, scale: SCALE })
    const reporter = createReporter({ stdout, stderr: collect(), isJson: true })
    expect(await runCommand(parsed.options, reporter, { clock })).toBe(0)
    expect(JSON.parse(stdout.text)).toMatchObject({ generated: 50, acknowledged: 50, rejected: 0 })

    const session = signedIn(
      await createApiClient(server.url).auth.login.mutate({
        email: EMAIL,
        password: PASSWORD,
      }),
    )
    const api = createApiClient(server.url, session.accessToken)
    const tokens = await api.tokens.list.query({ includeRevoked: true })
    const old = tokens.items.find((token) => token.id === saved?.token.id)
    expect(old?.revokedAt).toBeInstanceOf(Date)
  })
})
