import { z } from 'zod'
import { ZTelemetryPointWire } from './telemetry.ts'

/** The device wire format as JSON Schema (draft 2020-12), for device makers. */
export function telemetryPointJsonSchema(): Record<string, unknown> {
  return {
    $id: 'urn:fms:schema:telemetry-point',
    title: 'FMS telemetry point',
    description:
      'One point posted to POST /api/telemetry. A body is one point, an array of points, or NDJSON (one point per line). Unknown fields are ignored.',
    ...z.toJSONSchema(ZTelemetryPointWire, { io: 'input', target: 'draft-2020-12' }),
  }
}
