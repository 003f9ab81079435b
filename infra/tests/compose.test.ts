import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { DOCKER_DIR, REPO_ROOT, readScript, readServerEnv, readSimulatorFlags } from './lib/repo.ts'

interface ComposeService {
  image?: string
  build?: { context: string; dockerfile: string }
  command?: string[]
  working_dir?: string
  environment?: Record<string, string>
  volumes?: string[]
  ports?: string[]
  expose?: string[]
  networks?: string[] | Record<string, unknown>
  network_mode?: string
  depends_on?: Record<string, { condition: string }> | string[]
  healthcheck?: { test?: string[]; disable?: boolean }
  stop_grace_period?: string
  restart?: string
}

const COMPOSE_TEXT = readFileSync(join(DOCKER_DIR, 'compose.yaml'), 'utf8')
const COMPOSE = parse(COMPOSE_TEXT, { merge: true }) as {
  name: string
  services: Record<string, ComposeService>
  volumes: Record<string, unknown>
  networks?: Record<string, unknown>
}
const SERVICES = COMPOSE.services
const SERVERS = ['server-1', 'server-2']
const NGINX = readFileSync(join(DOCKER_DIR, 'nginx.conf'), 'utf8')
/** What the stack must be given, never default: anyone reading the repository could use a default. */
const SECRETS = ['JWT_SECRET', 'POSTGRES_PASSWORD', 'FMS_ADMIN_PASSWORD']
/** Set as an operator would (compose.yaml's own instructions), for the checks that need values. */
const OPERATOR_ENV = {
  JWT_SECRET: randomBytes(48).toString('base64'),
  POSTGRES_PASSWORD: randomBytes(32).toString('hex'),
  FMS_ADMIN_PASSWORD: randomBytes(18).toString('base64'),
}

function service(name: string): ComposeService {
  const found = SERVICES[name]
  if (!found) throw new Error(`compose.yaml has no service ${name}`)
  return found
}

/**
 * Compose's interpolation of `${VAR:-default}` and `${VAR:?message}`: the value from `env`, else
 * the default; a required variable that is unset or empty fails with its message, as compose does.
 */
function interpolate(value: string, env: Record<string, string> = OPERATOR_ENV): string {
  return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::([-?])([^}]*))?\}/g, (_, name, kind, rest) => {
    const given = env[name]
    if (given) return given
    if (kind === '?') throw new Error(`required variable ${name} is missing a value: ${rest}`)
    return kind === '-' ? rest : ''
  })
}

/** Every `${...}` reference in compose.yaml, as [variable, the whole reference]. */
function references(): [string, string][] {
  return [...COMPOSE_TEXT.matchAll(/\$\{([A-Z_][A-Z0-9_]*)[^}]*\}/g)].map((m) => [m[1]!, m[0]])
}

function networksOf(name: string): string[] {
  const networks = service(name).networks ?? ['default']
  return Array.isArray(networks) ? networks : Object.keys(networks)
}

/** The body of the nginx `location <match> {...}` block. */
function nginxLocation(match: string): string | undefined {
  const start = NGINX.indexOf(`location ${match} {`)
  if (start < 0) return undefined
  return NGINX.slice(start, NGINX.indexOf('\n    }', start))
}

function dependencies(name: string): Record<string, string> {
  const dependsOn = service(name).depends_on ?? {}
  if (Array.isArray(dependsOn)) {
    return Object.fromEntries(dependsOn.map((dep) => [dep, 'service_started']))
  }
  return Object.fromEntries(Object.entries(dependsOn).map(([dep, v]) => [dep, v.condition]))
}

/** Bind mounts (`./x:/y[:ro]`) as [host path, container path]. */
function bindMounts(name: string): [string, string][] {
  return (service(name).volumes ?? [])
    .filter((volume) => volume.startsWith('.'))
    .map((volume) => {
      const [host, container] = volume.split(':') as [string, string]
      return [resolve(DOCKER_DIR, host), container]
    })
}

describe('compose stack', () => {
  it('runs TimescaleDB from the official image, with a volume and a health check', () => {
    const db = service('timescaledb')
    expect(db.image).toMatch(/^timescale\/timescaledb:[\w.]+-pg1[5-9]$/)
    expect(db.volumes).toEqual(['pgdata:/var/lib/postgresql/data'])
    expect(COMPOSE.volumes).toHaveProperty('pgdata')
    expect(db.healthcheck?.test?.join(' ')).toContain('pg_isready')
  })

  it('runs Redis for the live bus', () => {
    expect(service('redis').image).toMatch(/^redis:\d/)
    expect(service('redis').healthcheck?.test).toContain('ping')
  })

  it('runs two server replicas of the image built from infra/docker/Dockerfile', () => {
    for (const name of SERVERS) {
      const server = service(name)
      expect(server.build).toEqual({ context: '../..', dockerfile: 'infra/docker/Dockerfile' })
      expect(resolve(DOCKER_DIR, server.build!.context)).toBe(REPO_ROOT)
      expect(existsSync(join(REPO_ROOT, server.build!.dockerfile))).toBe(true)
      expect(server.command).toBeUndefined()
      expect(server.stop_grace_period).toBe('30s')
    }
  })

  it('points both replicas at the shared database and Redis, in production mode', () => {
    const known = readServerEnv()
    for (const name of SERVERS) {
      const env = service(name).environment!
      for (const key of Object.keys(env)) expect(known.has(key), `${name}: ${key}`).toBe(true)
      expect(env.NODE_ENV).toBe('production')
      const databaseUrl = new URL(interpolate(env.DATABASE_URL!))
      expect(databaseUrl.host).toBe('timescaledb:5432')
      expect(decodeURIComponent(databaseUrl.password)).toBe(OPERATOR_ENV.POSTGRES_PASSWORD)
      expect(new URL(env.REDIS_URL!).host).toBe('redis:6379')
      expect(interpolate(env.JWT_SECRET!)).toBe(OPERATOR_ENV.JWT_SECRET)
    }
    expect(service('server-1').environment).toEqual(service('server-2').environment)
  })

  it('has no default for any secret: compose refuses to start until each is set', () => {
    const secretRefs = references().filter(([name]) => SECRETS.includes(name))
    expect(new Set(secretRefs.map(([name]) => name))).toEqual(new Set(SECRETS))
    for (const [name, reference] of secretRefs) {
      // `${VAR:?message}`, the message saying how to make one.
      expect(reference, name).toMatch(new RegExp(`^\\$\\{${name}:\\?[^}]*openssl rand [^}]+\\}$`))
      expect(() => interpolate(reference, {}), name).toThrow(`required variable ${name}`)
      expect(() => interpolate(reference, { [name]: '' }), name).toThrow(name)
    }
    // Nothing that looks like a credential is defaulted or written in, under any name.
    for (const [name, reference] of references()) {
      if (/SECRET|PASSWORD|TOKEN|KEY/.test(name)) expect(reference, name).toContain(':?')
    }
    const server = service('server-1').environment!
    expect(() => interpolate(server.DATABASE_URL!, {})).toThrow('POSTGRES_PASSWORD')
    expect(() => interpolate(server.JWT_SECRET!, {})).toThrow('JWT_SECRET')
  })

  it('writes no credential into the file: every secret-bearing value is a required variable', () => {
    for (const [name, { environment = {} }] of Object.entries(SERVICES)) {
      for (const [key, value] of Object.entries(environment)) {
        if (/SECRET|PASSWORD|TOKEN/.test(key)) {
          expect(value, `${name}: ${key}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/)
        }
        if (/_URL$/.test(key) && /^[a-z]+:\/\/[^/]*@/.test(value)) {
          const userinfo = /^[a-z]+:\/\/([^@]*)@/.exec(value)![1]!
          expect(userinfo, `${name}: ${key}`).toMatch(/^[a-z]+:\$\{[A-Z_]+:\?[^}]+\}$/)
        }
      }
    }
    for (const [name, { command = [] }] of Object.entries(SERVICES)) {
      const password = command[command.indexOf('--password') + 1]
      if (command.includes('--password')) expect(password, name).toMatch(/^\$\{[A-Z_]+:\?/)
    }
  })

  it('tells the servers they sit behind exactly one proxy, nginx, which sets the client address', () => {
    for (const name of SERVERS) expect(service(name).environment?.TRUST_PROXY).toBe('1')
    // nginx is the edge: the client's own X-Forwarded-For is replaced, not appended to.
    expect(NGINX).toContain('proxy_set_header X-Forwarded-For $remote_addr;')
    expect(NGINX).not.toMatch(/^\s*proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for/m)
    expect(NGINX).toContain('proxy_set_header X-Forwarded-Proto $scheme;')
  })

  it('lets nothing but nginx reach the servers (no published ports, no shared client network)', () => {
    const published = Object.entries(SERVICES).filter(([, s]) => s.ports?.length)
    expect(published.map(([name]) => name)).toEqual(['lb'])
    for (const name of SERVERS) {
      const server = service(name)
      expect(server.ports, name).toBeUndefined()
      expect(server.network_mode, name).toBeUndefined()
      expect(networksOf(name)).not.toContain('default')
      const neighbours = Object.keys(SERVICES).filter(
        (other) =>
          !SERVERS.includes(other) && networksOf(other).some((n) => networksOf(name).includes(n)),
      )
      // nginx, and the two backends the servers call (they never send HTTP to a server).
      expect(neighbours.sort(), name).toEqual(['lb', 'redis', 'timescaledb'])
    }
    for (const client of ['create-admin', 'sim']) {
      expect(networksOf(client)).toEqual(
        networksOf('lb').filter((n) => !networksOf('server-1').includes(n)),
      )
    }
    for (const network of networksOf('server-1')) expect(COMPOSE.networks).toHaveProperty(network)
  })

  it('answers /metrics with 404 at nginx, so the metrics never leave the stack', () => {
    for (const match of ['= /metrics', '^~ /metrics/']) {
      const location = nginxLocation(match)
      expect(location, match).toBeDefined()
      expect(location).toContain('return 404;')
      expect(location).not.toContain('proxy_pass')
    }
  })

  it('starts the second replica after the first is healthy (start-up migrations run once at a time)', () => {
    expect(dependencies('server-1')).toEqual({
      timescaledb: 'service_healthy',
      redis: 'service_healthy',
    })
    expect(dependencies('server-2')).toMatchObject({ 'server-1': 'service_healthy' })
  })

  it('puts nginx in front of both replicas, and its config is the one in infra/docker', () => {
    const lb = service('lb')
    expect(lb.image).toMatch(/^nginx:1\.(2[89]|[3-9]\d)/)
    expect(bindMounts('lb')).toEqual([[join(DOCKER_DIR, 'nginx.conf'), '/etc/nginx/nginx.conf']])
    expect(lb.ports).toEqual(['${FMS_HTTP_PORT:-8080}:80'])
    expect(dependencies('lb')).toEqual({
      'server-1': 'service_healthy',
      'server-2': 'service_healthy',
    })
    const upstream = /upstream fms \{([\s\S]*?)\n {2}\}/.exec(NGINX)?.[1] ?? ''
    const port = readServerEnv().get('PORT')
    for (const name of SERVERS) expect(upstream).toContain(`server ${name}:${port} resolve`)
    expect(NGINX).toMatch(/proxy_pass http:\/\/fms;/)
  })

  it('passes WebSocket upgrades through nginx (Upgrade and Connection headers, HTTP/1.1)', () => {
    expect(NGINX).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;\s*'' +'';/)
    expect(NGINX).toContain('proxy_http_version 1.1;')
    expect(NGINX).toContain('proxy_set_header Upgrade $http_upgrade;')
    expect(NGINX).toContain('proxy_set_header Connection $connection_upgrade;')
    const readTimeout = Number(/proxy_read_timeout (\d+)s;/.exec(NGINX)?.[1])
    expect(readTimeout).toBeGreaterThan(30)
  })

  it("keeps the browser's Host (with port) so the server's same-origin check passes", () => {
    expect(NGINX).toContain('proxy_set_header Host $http_host;')
    expect(readFileSync(join(REPO_ROOT, 'apps/server/src/security.ts'), 'utf8')).toContain(
      'new URL(origin).host === req.headers.host',
    )
  })

  it("closes idle upstream sockets before the server does (HTTP_KEEPALIVE_TIMEOUT_SEC's default)", () => {
    const serverSec = Number(readServerEnv().get('HTTP_KEEPALIVE_TIMEOUT_SEC'))
    const nginxSec = Number(/keepalive_timeout (\d+)s;/.exec(NGINX)?.[1])
    expect(serverSec).toBeGreaterThan(0)
    expect(nginxSec).toBeLessThan(serverSec)
  })

  it('accepts telemetry bodies as large as the server does', () => {
    const serverBytes = Number(readServerEnv().get('INGEST_MAX_BODY_BYTES'))
    const nginxMegabytes = Number(/client_max_body_size (\d+)m;/.exec(NGINX)?.[1])
    expect(nginxMegabytes * 1024 * 1024).toBeGreaterThanOrEqual(serverBytes)
  })

  it('runs the simulator with its sim script, through the load balancer', () => {
    const sim = service('sim')
    expect(sim.build).toEqual(service('server-1').build)
    expect(sim.working_dir).toBe('/app/apps/device-sim')
    const script = readScript('apps/device-sim', 'sim').split(' ')
    expect(sim.command!.slice(0, script.length)).toEqual(script)
    expect(existsSync(join(REPO_ROOT, 'apps/device-sim', script.at(-1)!))).toBe(true)
    const flags = sim.command!.slice(script.length).filter((arg) => arg.startsWith('--'))
    const known = readSimulatorFlags()
    for (const flag of flags) expect(known.has(flag), flag).toBe(true)
    const args = sim.command!.slice(script.length)
    expect(args[args.indexOf('--server') + 1]).toBe('http://lb')
    expect(args[args.indexOf('--state') + 1]).toMatch(/^\/data\//)
    expect(sim.volumes).toEqual(['sim-state:/data'])
    expect(sim.healthcheck?.disable).toBe(true)
  })

  it('creates the admin the simulator signs in with before it starts', () => {
    const job = service('create-admin')
    expect(bindMounts('create-admin')).toEqual([
      [join(DOCKER_DIR, 'create-admin.mjs'), '/opt/fms/create-admin.mjs'],
    ])
    expect(job.command).toEqual(['node', '/opt/fms/create-admin.mjs'])
    expect(job.restart).toBe('no')
    expect(dependencies('sim')).toEqual({ 'create-admin': 'service_completed_successfully' })
    const sim = service('sim').command!
    expect(sim[sim.indexOf('--email') + 1]).toBe(job.environment?.FMS_ADMIN_EMAIL)
    expect(sim[sim.indexOf('--password') + 1]).toBe(job.environment?.FMS_ADMIN_PASSWORD)
  })

  it('mounts only files that exist', () => {
    for (const name of Object.keys(SERVICES)) {
      for (const [host] of bindMounts(name)) expect(existsSync(host), `${name}: ${host}`).toBe(true)
    }
  })
})
