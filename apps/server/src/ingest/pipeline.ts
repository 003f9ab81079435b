import { type IngestResult, type TelemetryPoint, ZTelemetryPoint } from '@fms/api/schemas'
import type { TelemetryInsert, TelemetryWriter } from '@fms/db/telemetry'
import { z } from 'zod'
import type { DeviceIdentity, LinkedDevice } from './device-auth.ts'

/**
 * The shared schema, compiled ahead of time by zod into a generated fast path (about 4x faster
 * here) that falls back to the runtime parser for anything it can't decide. Compiled on the
 * server only: browsers keep the plain schema (no `new Function` under our CSP).
 */
export const ZTelemetryPointCompiled = z.compile(ZTelemetryPoint)

export interface IngestLimits {
  /** How far ahead of the server clock a point's time may be. */
  maxFutureMs: number
  /** How old a point may be. */
  maxAgeMs: number
}

/**
 * The one ingestion pipeline every protocol feeds: validate each point, check its time, resolve
 * its device against what the token may post for, let `admit` refuse the request for the devices
 * it carries (rate limits: it throws, and nothing is written), then group-commit. Resolves after
 * commit. Not itself async: the raw points are referenced only until they are validated, so
 * while the batch waits for its commit they are garbage, not survivors the young-generation GC
 * copies and promotes (the rows that do wait have a fixed shape for the same reason: see
 * `fixedShape` in the engine).
 */
export function ingestPoints(
  writer: TelemetryWriter,
  identity: DeviceIdentity,
  rawPoints: readonly unknown[],
  limits: IngestLimits,
  admit: (deviceIds: ReadonlySet<string>) => void = () => {},
): Promise<{ result: IngestResult; foreignDevicePoints: number }> {
  let prepared: Prepared
  try {
    prepared = preparePoints(identity, rawPoints, limits)
    if (prepared.rows.length > 0) admit(new Set(prepared.rows.map((row) => row.deviceId)))
  } catch (error) {
    return Promise.reject(error)
  }
  return commitPoints(writer, prepared)
}

interface Prepared {
  rows: TelemetryInsert[]
  rejected: IngestResult['rejected']
  foreignDevicePoints: number
  /** Every point named a device of another token: nothing is written. */
  isAllForeign: boolean
}

async function commitPoints(
  writer: TelemetryWriter,
  { rows, rejected, foreignDevicePoints, isAllForeign }: Prepared,
): Promise<{ result: IngestResult; foreignDevicePoints: number }> {
  if (isAllForeign) {
    return { result: { accepted: 0, duplicates: 0, rejected }, foreignDevicePoints }
  }
  const { accepted, duplicates } = await writer.write(rows)
  return { result: { accepted, duplicates, rejected }, foreignDevicePoints }
}

function preparePoints(
  identity: DeviceIdentity,
  rawPoints: readonly unknown[],
  limits: IngestLimits,
): Prepared {
  const now = Date.now()
  let foreignDevicePoints = 0
  const rows: TelemetryInsert[] = []
  const rejected: IngestResult['rejected'] = []
  const onlyDevice =
    identity.devices.size === 1 ? identity.devices.values().next().value : undefined
  for (let index = 0; index < rawPoints.length; index++) {
    const parsed = ZTelemetryPointCompiled.safeParse(rawPoints[index])
    if (!parsed.success) {
      rejected.push({ index, error: describeIssue(parsed.error.issues[0]) })
      continue
    }
    const point = parsed.data
    const device = point.deviceId ? identity.devices.get(point.deviceId) : onlyDevice
    if (!device) {
      if (point.deviceId) foreignDevicePoints++
      rejected.push({
        index,
        error: point.deviceId
          ? 'device_id is not a device of this token'
          : 'device_id is required: this token serves several devices',
      })
      continue
    }
    const error = checkPoint(point, device, now, limits)
    if (error) {
      rejected.push({ index, error })
      continue
    }
    rows.push(toRow(point, identity.orgId, device, now))
  }
  const isAllForeign = foreignDevicePoints === rawPoints.length
  return { rows: isAllForeign ? [] : rows, rejected, foreignDevicePoints, isAllForeign }
}

function checkPoint(
  point: TelemetryPoint,
  device: LinkedDevice,
  now: number,
  limits: IngestLimits,
): string | null {
  if (!device.isActive) return 'device is inactive'
  if (point.time !== undefined) {
    if (point.time > now + limits.maxFutureMs) return 'time is in the future'
    if (point.time < now - limits.maxAgeMs) return 'time is too old'
  }
  return null
}

/** The validated point becomes the row in place: this runs for every ingested point. */
function toRow(
  point: TelemetryPoint,
  orgId: string,
  device: LinkedDevice,
  now: number,
): TelemetryInsert {
  const row = point as unknown as Record<string, unknown>
  row.time = point.time ?? now
  row.orgId = orgId
  row.deviceId = device.id
  row.vehicleId = device.vehicleId
  return row as unknown as TelemetryInsert
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid point'
  const field = issue.path.map(String).join('.')
  return field && !issue.message.startsWith(field) ? `${field}: ${issue.message}` : issue.message
}
