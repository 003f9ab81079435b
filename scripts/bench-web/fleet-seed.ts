import { devices, vehicles } from '@fms/db/schema'
import type { RunningServer } from '@fms/server'
import { createApiClient, moveAlong, requireSignedIn, TEST_PASSWORD } from '@fms/testkit'

const CHUNK = 1000
/** Where the simulated fleet drives: a box around Germany. */
const AREA = { south: 47.5, north: 54.5, west: 6.5, east: 14.5 }

export interface TBenchVehicle {
  deviceId: string
  lat: number
  lon: number
  heading: number
  speed: number
}

/**
 * An organization with `count` vehicles, each with its own device linked to one API token.
 * Rows go straight into the database (thousands of tRPC calls would take minutes).
 */
export async function seedFleet(server: RunningServer, count: number) {
  const session = requireSignedIn(
    await createApiClient(server.url).auth.register.mutate({
      email: `bench-${Date.now()}@example.com`,
      password: TEST_PASSWORD,
      orgName: 'Benchmark Fleet',
    }),
  )
  const orgId = session.user.orgId
  const api = createApiClient(server.url, session.accessToken)
  const token = await api.tokens.create.mutate({ title: 'Benchmark trackers' })
  const db = server.db.db
  const fleet: TBenchVehicle[] = []
  for (let offset = 0; offset < count; offset += CHUNK) {
    const size = Math.min(CHUNK, count - offset)
    const inserted = await db
      .insert(vehicles)
      .values(
        Array.from({ length: size }, (_, i) => ({
          orgId,
          code: `V-${String(offset + i + 1).padStart(5, '0')}`,
          vin: `BENCH${String(offset + i + 1).padStart(12, '0')}`,
        })),
      )
      .returning({ id: vehicles.id })
    const linked = await db
      .insert(devices)
      .values(inserted.map((v) => ({ orgId, vehicleId: v.id, tokenId: token.id })))
      .returning({ id: devices.id })
    for (const device of linked) {
      fleet.push({
        deviceId: device.id,
        lat: AREA.south + Math.random() * (AREA.north - AREA.south),
        lon: AREA.west + Math.random() * (AREA.east - AREA.west),
        heading: Math.floor(Math.random() * 360),
        // A tenth stand still, so the map shows idle vehicles too.
        speed: Math.random() < 0.1 ? 0 : 20 + Math.floor(Math.random() * 90),
      })
    }
  }
  return { session, secret: token.secret, fleet }
}

/** Every vehicle's next point one second on: a straight drive with a slight random turn. */
export function stepFleet(fleet: TBenchVehicle[], time: number) {
  return fleet.map((vehicle) => {
    vehicle.heading = (vehicle.heading + (Math.random() - 0.5) * 10 + 360) % 360
    const next = moveAlong(vehicle.lat, vehicle.lon, vehicle.heading, vehicle.speed / 3600)
    vehicle.lat = Math.min(85, Math.max(-85, next.lat))
    vehicle.lon = ((next.lon + 540) % 360) - 180
    return {
      device_id: vehicle.deviceId,
      time,
      lat: vehicle.lat,
      lon: vehicle.lon,
      speed: vehicle.speed,
      heading: Math.round(vehicle.heading),
      rpm: vehicle.speed === 0 ? 800 : 1200 + vehicle.speed * 15,
      fuel: 50,
      coolant_temp: 88,
    }
  })
}
