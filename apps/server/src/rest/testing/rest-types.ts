import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

/** Where the REST API's generated TypeScript types live (used by the typed client in tests). */
export const REST_TYPES_FILE = fileURLToPath(new URL('./api-v1.generated.ts', import.meta.url))

/** TypeScript types for an OpenAPI document (openapi-typescript), as the file holds them. */
export async function generateRestTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0])
  return `// Generated from /api/openapi.json by \`pnpm --filter @fms/server rest:types\`. Do not edit.\n${astToString(ast)}`
}
