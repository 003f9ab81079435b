import { type TTelemetryPointWire, ZTelemetryPointWire } from '@fms/api/schemas'
import type { VehicleSample } from './motion/vehicle.ts'

function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/**
 * A sample as the device wire format: snake_case, epoch-ms `time` of the moment it was taken,
 * rounded to what a tracker reports (about 10 cm, 0.1 km/h, whole rpm, 1 m of odometer).
 */
export function toWirePoint(
  sample: VehicleSample,
  deviceId: string,
  time: number,
  driverIdentifier?: string,
): TTelemetryPointWire {
  return {
    device_id: deviceId,
    time,
    lat: round(sample.lat, 6),
    lon: round(sample.lon, 6),
    altitude: round(sample.altitude, 1),
    speed: round(sample.speedKmh, 1),
    heading: Math.round(sample.heading) % 360,
    rpm: Math.round(sample.rpm),
    engine_load: round(sample.engineLoad, 1),
    coolant_temp: round(sample.coolantC, 1),
    fuel: round(sample.fuelPercent, 1),
    odometer: round(sample.odometerKm, 3),
    ignition: sample.isIgnitionOn,
    status: sample.status,
    ...(driverIdentifier === undefined ? {} : { driver_id: driverIdentifier }),
  }
}

/** The shared schema's verdict on a point: null when valid, else the first problem. */
export function checkWirePoint(point: TTelemetryPointWire): string | null {
  const result = ZTelemetryPointWire.safeParse(point)
  if (result.success) return null
  const issue = result.error.issues[0]
  return issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid point'
}
