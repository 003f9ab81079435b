import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parse } from '@cdktf/hcl2json'
import { TERRAFORM_DIR } from './repo.ts'

/**
 * Terraform configuration as HashiCorp's HCL parser reads it (hcl2json: hashicorp/hcl compiled
 * to WASM, so no Terraform binary is needed). A syntax error in any file rejects. Blocks are
 * arrays of bodies; expressions are strings wrapped in `${...}`; literals stay literals.
 */
export type Body = Record<string, unknown>

export interface TerraformModule {
  /** Path relative to infra/terraform: '' for the root module, 'modules/x' for the others. */
  path: string
  files: string[]
  resources: Map<string, Body>
  data: Map<string, Body>
  variables: Map<string, Body>
  outputs: Map<string, Body>
  locals: Map<string, unknown>
  moduleCalls: Map<string, Body>
  terraformBlocks: Body[]
  providerBlocks: Map<string, Body[]>
}

interface Hcl2Json {
  resource?: Record<string, Record<string, Body[]>>
  data?: Record<string, Record<string, Body[]>>
  variable?: Record<string, Body[]>
  output?: Record<string, Body[]>
  locals?: Body[]
  module?: Record<string, Body[]>
  terraform?: Body[]
  provider?: Record<string, Body[]>
}

/** The root module and every module under modules/, each directory one module. */
export function listModuleDirs(): string[] {
  const modules = readdirSync(join(TERRAFORM_DIR, 'modules'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `modules/${entry.name}`)
  return ['', ...modules.sort()]
}

function addUnique<T>(map: Map<string, T>, key: string, value: T, where: string): void {
  if (map.has(key)) throw new Error(`${where}: ${key} is declared twice`)
  map.set(key, value)
}

export async function loadModule(path: string): Promise<TerraformModule> {
  const dir = join(TERRAFORM_DIR, path)
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort()
  const module: TerraformModule = {
    path,
    files,
    resources: new Map(),
    data: new Map(),
    variables: new Map(),
    outputs: new Map(),
    locals: new Map(),
    moduleCalls: new Map(),
    terraformBlocks: [],
    providerBlocks: new Map(),
  }
  for (const file of files) {
    const where = relative(TERRAFORM_DIR, join(dir, file))
    const json = (await parse(where, readFileSync(join(dir, file), 'utf8'))) as Hcl2Json
    for (const [kind, target] of [
      ['resource', module.resources],
      ['data', module.data],
    ] as const) {
      for (const [type, byName] of Object.entries(json[kind] ?? {})) {
        for (const [name, bodies] of Object.entries(byName)) {
          addUnique(target, `${type}.${name}`, bodies[0] ?? {}, where)
        }
      }
    }
    for (const [name, bodies] of Object.entries(json.variable ?? {})) {
      addUnique(module.variables, name, bodies[0] ?? {}, where)
    }
    for (const [name, bodies] of Object.entries(json.output ?? {})) {
      addUnique(module.outputs, name, bodies[0] ?? {}, where)
    }
    for (const [name, bodies] of Object.entries(json.module ?? {})) {
      addUnique(module.moduleCalls, name, bodies[0] ?? {}, where)
    }
    for (const block of json.locals ?? []) {
      for (const [name, value] of Object.entries(block))
        addUnique(module.locals, name, value, where)
    }
    module.terraformBlocks.push(...(json.terraform ?? []))
    for (const [name, bodies] of Object.entries(json.provider ?? {})) {
      module.providerBlocks.set(name, [...(module.providerBlocks.get(name) ?? []), ...bodies])
    }
  }
  return module
}

export async function loadAllModules(): Promise<Map<string, TerraformModule>> {
  const modules = new Map<string, TerraformModule>()
  for (const path of listModuleDirs()) modules.set(path, await loadModule(path))
  return modules
}

/** All resources of a type across the modules, as `path: type.name` => body. */
export function findResources(
  modules: Map<string, TerraformModule>,
  type: string,
  kind: 'resources' | 'data' = 'resources',
): Map<string, Body> {
  const found = new Map<string, Body>()
  for (const module of modules.values()) {
    for (const [address, body] of module[kind]) {
      if (address.startsWith(`${type}.`)) found.set(`${module.path || '.'}: ${address}`, body)
    }
  }
  return found
}

/** The one resource `type.name` of a module; throws when it isn't there. */
export function getResource(module: TerraformModule | undefined, address: string): Body {
  const body = module?.resources.get(address)
  if (!body) throw new Error(`${module?.path || '.'} has no resource ${address}`)
  return body
}

/** The first nested block `name` of a body (hcl2json keeps blocks as arrays). */
export function getBlock(body: Body, name: string): Body {
  const blocks = body[name]
  if (!Array.isArray(blocks) || blocks.length === 0) throw new Error(`no ${name} block`)
  return blocks[0] as Body
}

export function getBlocks(body: Body, name: string): Body[] {
  const blocks = body[name]
  return Array.isArray(blocks) ? (blocks as Body[]) : []
}

/** The content of a `dynamic "name"` block. */
export function getDynamicContent(body: Body, name: string): { forEach: unknown; content: Body } {
  const dynamic = (body.dynamic as Record<string, Body[]> | undefined)?.[name]
  const block = dynamic?.[0]
  if (!block) throw new Error(`no dynamic ${name} block`)
  return { forEach: block.for_each, content: getBlock(block, 'content') }
}

/** Every expression string (`...${...}...`) anywhere in a value. */
export function collectExpressions(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('${')) into.push(value)
  } else if (Array.isArray(value)) {
    for (const item of value) collectExpressions(item, into)
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collectExpressions(item, into)
  }
  return into
}

/** Every expression in a module: resources, data, locals, outputs, module calls, variables. */
export function moduleExpressions(module: TerraformModule): string[] {
  return collectExpressions([
    [...module.resources.values()],
    [...module.data.values()],
    [...module.locals.values()],
    [...module.outputs.values()],
    [...module.moduleCalls.values()],
    [...module.variables.values()],
    [...module.providerBlocks.values()],
  ])
}

export interface References {
  variables: Set<string>
  locals: Set<string>
  /** `name.output` */
  moduleOutputs: Set<string>
  /** `type.name` */
  resources: Set<string>
  /** `type.name` */
  data: Set<string>
}

const VAR = /(?<![\w.\-/])var\.([A-Za-z_][\w-]*)/g
const LOCAL = /(?<![\w.\-/])local\.([A-Za-z_][\w-]*)/g
const MODULE = /(?<![\w.\-/])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)/g
const DATA = /(?<![\w.\-/])data\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)/g
const RESOURCE = /(?<![\w.\-/])((?:aws|random)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g

export function findReferences(expressions: string[]): References {
  const refs: References = {
    variables: new Set(),
    locals: new Set(),
    moduleOutputs: new Set(),
    resources: new Set(),
    data: new Set(),
  }
  for (const text of expressions) {
    for (const m of text.matchAll(VAR)) refs.variables.add(m[1]!)
    for (const m of text.matchAll(LOCAL)) refs.locals.add(m[1]!)
    for (const m of text.matchAll(MODULE)) refs.moduleOutputs.add(`${m[1]}.${m[2]}`)
    for (const m of text.matchAll(DATA)) refs.data.add(`${m[1]}.${m[2]}`)
    for (const m of text.matchAll(RESOURCE)) refs.resources.add(`${m[1]}.${m[2]}`)
  }
  return refs
}

/**
 * `"${var.x}"` => `var.x`: the expression of a value that is one interpolation. A literal, or a
 * template with text around or between interpolations (`"${a}:${b}"`), stays as it is.
 */
export function unwrap(value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith('${') || !value.endsWith('}')) return value
  let depth = 0
  for (let i = 1; i < value.length; i++) {
    if (value[i] === '{') depth++
    else if (value[i] === '}' && --depth === 0) {
      return i === value.length - 1 ? value.slice(2, -1) : value
    }
  }
  return value
}

/** The literal default of a variable, or undefined. */
export function defaultOf(module: TerraformModule | undefined, variable: string): unknown {
  const body = module?.variables.get(variable)
  if (!body) throw new Error(`${module?.path || '.'} has no variable ${variable}`)
  return body.default
}

/** The validation conditions of a variable, as expression text. */
export function validationsOf(module: TerraformModule | undefined, variable: string): string[] {
  const body = module?.variables.get(variable)
  if (!body) throw new Error(`${module?.path || '.'} has no variable ${variable}`)
  return getBlocks(body, 'validation').map((block) => String(unwrap(block.condition)))
}
