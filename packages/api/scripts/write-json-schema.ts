// Regenerates docs/telemetry-point.schema.json from the zod schema: `pnpm --filter @fms/api docs:schema`.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { telemetryPointJsonSchema } from '../src/schemas/json-schema.ts'

const target = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../docs/telemetry-point.schema.json',
)
writeFileSync(target, `${JSON.stringify(telemetryPointJsonSchema(), null, 2)}\n`)
process.stdout.write(`wrote ${target}\n`)
