import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { format } from '@cdktf/hcl-tools'
import { parse } from '@cdktf/hcl2json'
import { beforeAll, describe, expect, it } from 'vitest'
import { TERRAFORM_DIR } from './lib/repo.ts'
import {
  type Body,
  findReferences,
  getBlock,
  listModuleDirs,
  loadAllModules,
  moduleExpressions,
  type TerraformModule,
  unwrap,
} from './lib/terraform.ts'

// What `terraform validate` would catch at the level of names, without a Terraform binary:
// syntax (HashiCorp's own parser), formatting (hclwrite, as `terraform fmt`), references to
// undeclared things, module calls that don't match the module's variables and outputs.

const MODULE_META_ARGUMENTS = new Set([
  'source',
  'version',
  'count',
  'for_each',
  'providers',
  'depends_on',
])

let modules: Map<string, TerraformModule>

beforeAll(async () => {
  modules = await loadAllModules()
})

function eachModule(): TerraformModule[] {
  return [...modules.values()]
}

function label(module: TerraformModule): string {
  return module.path || 'root'
}

function requiredProviders(module: TerraformModule): Record<string, Body> {
  const terraform = module.terraformBlocks[0]
  if (!terraform) return {}
  return (getBlock(terraform, 'required_providers') ?? {}) as Record<string, Body>
}

function listTerraformFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.tf'))
    .map((entry) => join(entry.parentPath, entry.name))
}

describe('terraform configuration (parsed with HashiCorp HCL, no Terraform binary)', () => {
  it('parses every .tf file of the root module and of each module under modules/', () => {
    expect(listModuleDirs().length).toBeGreaterThanOrEqual(8)
    for (const module of eachModule()) {
      expect(module.files.length, label(module)).toBeGreaterThan(0)
      expect(module.resources.size + module.moduleCalls.size, label(module)).toBeGreaterThan(0)
    }
  })

  it('rejects a file with a syntax error (the parser is real, not lenient)', async () => {
    await expect(parse('broken.tf', 'resource "aws_lb" "this" {\n  name = \n')).rejects.toThrow()
  })

  it('gives every module main.tf, variables.tf, outputs.tf and versions.tf', () => {
    for (const module of eachModule()) {
      expect(module.files, label(module)).toEqual(
        expect.arrayContaining(['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']),
      )
    }
  })

  it('documents every variable and output with a description, and types every variable', () => {
    for (const module of eachModule()) {
      for (const [name, body] of module.variables) {
        expect(body.description, `${label(module)} var.${name}`).toEqual(expect.any(String))
        expect(body.type, `${label(module)} var.${name}`).toBeDefined()
      }
      for (const [name, body] of module.outputs) {
        expect(body.description, `${label(module)} output.${name}`).toEqual(expect.any(String))
      }
    }
  })

  it('is formatted the way terraform fmt formats it (hclwrite)', async () => {
    const files = listTerraformFiles(TERRAFORM_DIR)
    expect(files.length).toBeGreaterThan(20)
    const unformatted: string[] = []
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      if ((await format(text)) !== text) unformatted.push(file)
    }
    expect(unformatted, 'run: pnpm --filter @fms/infra fmt:terraform').toEqual([])
  })

  it('declares every variable, local, resource and data source it references', () => {
    for (const module of eachModule()) {
      const refs = findReferences(moduleExpressions(module))
      const where = label(module)
      for (const name of refs.variables)
        expect(module.variables.has(name), `${where} var.${name}`).toBe(true)
      for (const name of refs.locals)
        expect(module.locals.has(name), `${where} local.${name}`).toBe(true)
      for (const address of refs.resources) {
        expect(module.resources.has(address), `${where} ${address}`).toBe(true)
      }
      for (const address of refs.data) {
        expect(module.data.has(address), `${where} data.${address}`).toBe(true)
      }
    }
  })

  it('uses every variable and local it declares', () => {
    for (const module of eachModule()) {
      const refs = findReferences(moduleExpressions(module))
      const where = label(module)
      for (const name of module.variables.keys()) {
        expect(refs.variables.has(name), `${where} var.${name} is unused`).toBe(true)
      }
      for (const name of module.locals.keys()) {
        expect(refs.locals.has(name), `${where} local.${name} is unused`).toBe(true)
      }
    }
  })

  it('calls each module with exactly its variables (all required ones) and reads only its outputs', () => {
    for (const module of eachModule()) {
      const refs = findReferences(moduleExpressions(module))
      for (const [call, body] of module.moduleCalls) {
        const target = modules.get(posix.join(module.path, String(body.source)))
        expect(target, `module.${call} source ${String(body.source)}`).toBeDefined()
        if (!target) continue
        const args = Object.keys(body).filter((key) => !MODULE_META_ARGUMENTS.has(key))
        for (const arg of args) {
          expect(target.variables.has(arg), `module.${call}: ${arg} is no variable`).toBe(true)
        }
        for (const [name, variable] of target.variables) {
          if (!('default' in variable)) {
            expect(args, `module.${call} misses required ${name}`).toContain(name)
          }
        }
        for (const ref of refs.moduleOutputs) {
          const [refCall, output] = ref.split('.') as [string, string]
          if (refCall !== call) continue
          expect(target.outputs.has(output), `module.${call}.${output}`).toBe(true)
        }
      }
      for (const ref of refs.moduleOutputs) {
        expect(module.moduleCalls.has(ref.split('.')[0]!), `${label(module)} module.${ref}`).toBe(
          true,
        )
      }
    }
  })

  it('declares every provider it uses in required_providers, with versions pinned at the root', () => {
    for (const module of eachModule()) {
      const declared = requiredProviders(module)
      const types = [...module.resources.keys(), ...module.data.keys()]
      for (const provider of new Set(types.map((address) => address.split('_')[0]!))) {
        expect(declared[provider], `${label(module)} uses ${provider}`).toBeDefined()
      }
    }
    const root = requiredProviders(modules.get('')!)
    expect(root.aws?.version).toMatch(/>=\s*5\.\d+/)
    expect(root.random?.version).toMatch(/>=/)
    expect(modules.get('')!.terraformBlocks[0]?.required_version).toMatch(/>=\s*1\./)
  })

  it('gives CloudFront its us-east-1 provider: declared by the web module, passed by the root', () => {
    const web = modules.get('modules/web')!
    expect(requiredProviders(web).aws?.configuration_aliases).toEqual(['${aws.us_east_1}'])
    const usEast = modules
      .get('')!
      .providerBlocks.get('aws')
      ?.find((p) => p.alias === 'us_east_1')
    expect(usEast?.region).toBe('us-east-1')
    const call = modules.get('')!.moduleCalls.get('web')!
    expect(call.providers).toEqual({ aws: '${aws}', 'aws.us_east_1': '${aws.us_east_1}' })
    for (const address of ['aws_acm_certificate.app', 'aws_acm_certificate_validation.app']) {
      expect(unwrap(web.resources.get(address)?.provider)).toBe('aws.us_east_1')
    }
  })
})

describe('database boot script (templatefile)', () => {
  const TEMPLATE = join(TERRAFORM_DIR, 'modules/database/user-data.sh.tftpl')

  function templateArguments(): string[] {
    const instance = modules.get('modules/database')!.resources.get('aws_instance.db')!
    const call = String(instance.user_data)
    const match = /templatefile\("\$\{path\.module\}\/([^"]+)",\s*\{([\s\S]*?)\}\)/.exec(call)
    expect(match?.[1]).toBe('user-data.sh.tftpl')
    return [...(match?.[2] ?? '').matchAll(/^\s*([a-z_]+)\s*=/gm)].map((m) => m[1]!)
  }

  it('passes exactly the placeholders the template uses', () => {
    expect(existsSync(TEMPLATE)).toBe(true)
    const text = readFileSync(TEMPLATE, 'utf8')
    const placeholders = new Set(
      [...text.matchAll(/(?<!\$)\$\{([^}]*)\}/g)].map((m) => m[1]!.trim()),
    )
    for (const placeholder of placeholders) expect(placeholder).toMatch(/^[a-z_]+$/)
    expect([...placeholders].sort()).toEqual(templateArguments().sort())
  })

  it('renders to a shell script bash accepts', () => {
    const text = readFileSync(TEMPLATE, 'utf8')
    const rendered = text
      .split('\n')
      .filter((line) => !/^%\{.*\}$/.test(line.trim()))
      .join('\n')
      .replace(/(?<!\$)\$\{([a-z_]+)\}/g, (_, name: string) => `sample-${name}`)
      .replaceAll('$${', '${')
    const result = spawnSync('bash', ['-n'], { input: rendered, encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })
})
