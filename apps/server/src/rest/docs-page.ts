type Json = Record<string, unknown>

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text for HTML: every markup character escaped (document text comes from schemas and routes). */
function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)
}

function schemaBlock(schema: unknown): string {
  return `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`
}

function parametersTable(parameters: Json[]): string {
  if (parameters.length === 0) return ''
  const rows = parameters
    .map((parameter) => {
      const schema = (parameter.schema ?? {}) as Json
      const type = schema.type ?? (schema.anyOf ? 'one of several' : 'any')
      const details = { ...schema }
      delete details.type
      return (
        `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${escapeHtml(parameter.in)}</td>` +
        `<td>${parameter.required ? 'yes' : 'no'}</td><td>${escapeHtml(type)}</td>` +
        `<td><code>${escapeHtml(JSON.stringify(details))}</code></td></tr>`
      )
    })
    .join('')
  return (
    '<table><thead><tr><th>Name</th><th>In</th><th>Required</th><th>Type</th><th>Schema</th></tr>' +
    `</thead><tbody>${rows}</tbody></table>`
  )
}

function operationSection(method: string, path: string, operation: Json): string {
  const parameters = (operation.parameters ?? []) as Json[]
  const body = (
    (operation.requestBody as Json | undefined)?.content as Record<string, Json> | undefined
  )?.['application/json']?.schema
  const responses = Object.entries((operation.responses ?? {}) as Record<string, Json>)
  const success = responses.find(([status]) => status.startsWith('2'))
  const successSchema = (success?.[1].content as Record<string, Json> | undefined)?.[
    'application/json'
  ]?.schema
  const id = escapeHtml(operation.operationId)
  return `<section id="${id}">
<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>/api/v1${escapeHtml(path)}</code></h3>
<p>${escapeHtml(operation.summary)}. ${escapeHtml(operation.description)}</p>
${parametersTable(parameters)}
${body ? `<h4>Request body (application/json)</h4>${schemaBlock(body)}` : ''}
${success ? `<h4>${escapeHtml(success[0])} answer</h4>${schemaBlock(successSchema ?? {})}` : ''}
</section>`
}

/**
 * The API reference: a static page generated from the OpenAPI document, no script, so the
 * server's strict Content-Security-Policy applies as to every page.
 */
export function renderDocsPage(document: Json): string {
  const info = (document.info ?? {}) as Json
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>
  const byTag = new Map<string, string[]>()
  const index: string[] = []
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = String((operation.tags as string[] | undefined)?.[0] ?? 'Other')
      const sections = byTag.get(tag) ?? []
      sections.push(operationSection(method, path, operation))
      byTag.set(tag, sections)
      index.push(
        `<li><a href="#${escapeHtml(operation.operationId)}">${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</a></li>`,
      )
    }
  }
  const body = [...byTag]
    .map(([tag, sections]) => `<h2>${escapeHtml(tag)}</h2>${sections.join('\n')}`)
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} ${escapeHtml(info.version)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 2rem; color: #1f2933; }
pre { background: #f5f7fa; padding: .75rem; overflow: auto; font-size: 13px; }
code { font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #d9e2ec; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td code { word-break: break-all; }
section { border-top: 1px solid #d9e2ec; padding-top: .5rem; }
.method { display: inline-block; min-width: 4.5rem; color: #fff; border-radius: 3px; padding: 0 .4rem; font-size: 13px; text-align: center; }
.get { background: #2f6f9f; } .post { background: #2f855a; } .patch { background: #b7791f; } .delete { background: #c53030; }
</style>
</head>
<body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code>: <code>{ type, title, status, code, detail, fieldErrors? }</code>.</p>
<ul>${index.join('')}</ul>
${body}
</body>
</html>
`
}
