// Writes the REST API's TypeScript types from its OpenAPI document (see src/rest/testing).
import { writeFile } from 'node:fs/promises'
import { buildOpenApiDocument } from '@fms/api'
import { generateRestTypes, REST_TYPES_FILE } from '../src/rest/testing/rest-types.ts'

const document = buildOpenApiDocument('0.1.0')
await writeFile(REST_TYPES_FILE, await generateRestTypes(document))
console.log(`wrote ${REST_TYPES_FILE}`)
