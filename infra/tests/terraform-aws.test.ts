import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { DOCKER_DIR, readServerEnv } from './lib/repo.ts'
import {
  defaultOf,
  findResources,
  getBlock,
  getBlocks,
  getDynamicContent,
  getResource,
  loadAllModules,
  type TerraformModule,
  unwrap,
  validationsOf,
} from './lib/terraform.ts'

// The AWS deployment, resource by resource: stateless server tasks that scale
// out, a durable database, Redis for the live bus, the web app on S3 + CloudFront.

let modules: Map<string, TerraformModule>
let root: TerraformModule

beforeAll(async () => {
  modules = await loadAllModules()
  root = modules.get('')!
})

/** CloudFront's path pattern matching: `*` any characters, `?` one, anything else literal. */
function matchesPathPattern(pattern: string, path: string): boolean {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`).test(path)
}

function mod(name: string): TerraformModule {
  const module = modules.get(`modules/${name}`)
  if (!module) throw new Error(`no module ${name}`)
  return module
}

describe('network', () => {
  it('puts public and private subnets in every AZ of at least two', () => {
    const network = mod('network')
    expect(defaultOf(network, 'az_count')).toBeGreaterThanOrEqual(2)
    expect(validationsOf(network, 'az_count').join()).toContain('var.az_count >= 2')
    expect(defaultOf(root, 'az_count')).toBeGreaterThanOrEqual(2)
    expect(unwrap(network.locals.get('azs'))).toMatch(
      /slice\(data\.aws_availability_zones\.available\.names, 0, var\.az_count\)/,
    )
    for (const tier of ['public', 'private']) {
      const subnet = getResource(network, `aws_subnet.${tier}`)
      expect(unwrap(subnet.count)).toBe('var.az_count')
      expect(unwrap(subnet.availability_zone)).toBe('local.azs[count.index]')
    }
  })

  it('gives the private subnets egress through NAT gateways, one per AZ unless asked otherwise', () => {
    const network = mod('network')
    expect(defaultOf(network, 'single_nat_gateway')).toBe(false)
    expect(unwrap(network.locals.get('nat_count'))).toBe(
      'var.single_nat_gateway ? 1 : var.az_count',
    )
    const route = getBlock(getResource(network, 'aws_route_table.private'), 'route')
    expect(String(route.nat_gateway_id)).toContain('aws_nat_gateway.this')
  })
})

describe('server on ECS Fargate', () => {
  it('runs at least two tasks, and refuses fewer', () => {
    const service = getResource(mod('service'), 'aws_ecs_service.server')
    expect(service.launch_type).toBe('FARGATE')
    expect(unwrap(service.desired_count)).toBe('var.min_tasks')
    expect(defaultOf(mod('service'), 'min_tasks')).toBeGreaterThanOrEqual(2)
    expect(validationsOf(mod('service'), 'min_tasks').join()).toContain('var.min_tasks >= 2')
    expect(defaultOf(root, 'min_tasks')).toBeGreaterThanOrEqual(2)
  })

  it('scales on CPU and on memory (target tracking) between min_tasks and max_tasks', () => {
    const service = mod('service')
    const target = getResource(service, 'aws_appautoscaling_target.server')
    expect(target.scalable_dimension).toBe('ecs:service:DesiredCount')
    expect(unwrap(target.min_capacity)).toBe('var.min_tasks')
    expect(unwrap(target.max_capacity)).toBe('var.max_tasks')
    const metrics = [...findResources(modules, 'aws_appautoscaling_policy').values()].map(
      (policy) => {
        expect(policy.policy_type).toBe('TargetTrackingScaling')
        const config = getBlock(policy, 'target_tracking_scaling_policy_configuration')
        return getBlock(config, 'predefined_metric_specification').predefined_metric_type
      },
    )
    expect(metrics.sort()).toEqual([
      'ECSServiceAverageCPUUtilization',
      'ECSServiceAverageMemoryUtilization',
    ])
  })

  it('rolls deployments without dropping below the desired count, and rolls back failures', () => {
    const service = getResource(mod('service'), 'aws_ecs_service.server')
    expect(service.deployment_minimum_healthy_percent).toBe(100)
    expect(service.deployment_maximum_percent).toBe(200)
    expect(getBlock(service, 'deployment_circuit_breaker')).toMatchObject({
      enable: true,
      rollback: true,
    })
    expect(getBlock(service, 'network_configuration').assign_public_ip).toBe(false)
    expect(getBlock(service, 'lifecycle').ignore_changes).toEqual(['${desired_count}'])
  })

  it('gives a stopping task at least 30 s to drain (the server needs about 10 s)', () => {
    const definitions = String(
      getResource(mod('service'), 'aws_ecs_task_definition.server').container_definitions,
    )
    expect(definitions).toMatch(/stopTimeout\s*=\s*var\.stop_timeout/)
    expect(defaultOf(mod('service'), 'stop_timeout')).toBeGreaterThanOrEqual(30)
    expect(validationsOf(mod('service'), 'stop_timeout').join()).toContain('var.stop_timeout >= 30')
  })

  it('injects JWT_SECRET, DATABASE_URL and REDIS_URL from Secrets Manager, not as plain values', () => {
    const definitions = String(
      getResource(mod('service'), 'aws_ecs_task_definition.server').container_definitions,
    )
    expect(definitions).toMatch(/secrets\s*=\s*\[for key in sort\(keys\(var\.server_secrets\)\)/)
    expect(definitions).toContain('valueFrom = var.server_secrets[key]')
    expect(mod('secrets').outputs.get('server_secrets')?.value).toEqual({
      JWT_SECRET: '${aws_secretsmanager_secret.jwt.arn}',
      DATABASE_URL: '${aws_secretsmanager_secret.database_url.arn}',
      REDIS_URL: '${aws_secretsmanager_secret.redis_url.arn}',
    })
    for (const name of ['JWT_SECRET', 'DATABASE_URL', 'REDIS_URL']) {
      expect(readServerEnv().has(name), name).toBe(true)
      expect(validationsOf(mod('service'), 'environment').join()).toContain(`"${name}"`)
    }
    const secrets = findResources(modules, 'aws_secretsmanager_secret')
    expect(secrets.size).toBeGreaterThanOrEqual(4)
    const policy = String(
      getResource(mod('service'), 'aws_iam_role_policy.execution_secrets').policy,
    )
    expect(policy).toContain('secretsmanager:GetSecretValue')
    expect(policy).toContain('var.secret_arns')
  })

  it('sets only environment variables the server knows (plus the secrets revision marker)', () => {
    const known = readServerEnv()
    const fixed = String(mod('service').locals.get('environment'))
    const names = [...fixed.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*=/gm)].map((m) => m[1]!)
    expect(names).toEqual(expect.arrayContaining(['NODE_ENV', 'PORT', 'HOST', 'CORS_ORIGINS']))
    for (const name of names.filter((n) => n !== 'FMS_SECRETS_REVISION')) {
      expect(known.has(name), name).toBe(true)
    }
    expect(fixed).toContain('NODE_ENV             = "production"')
    expect(root.moduleCalls.get('service')?.cors_origins).toEqual(['https://${var.app_hostname}'])
  })

  it('listens on the server default port', () => {
    expect(String(defaultOf(mod('service'), 'server_port'))).toBe(readServerEnv().get('PORT'))
    expect(String(defaultOf(mod('load_balancer'), 'server_port'))).toBe(readServerEnv().get('PORT'))
    expect(String(defaultOf(mod('security'), 'server_port'))).toBe(readServerEnv().get('PORT'))
  })

  it('logs to CloudWatch', () => {
    const service = mod('service')
    expect(getResource(service, 'aws_cloudwatch_log_group.server').retention_in_days).toBe(
      '${var.log_retention_days}',
    )
    const definitions = String(
      getResource(service, 'aws_ecs_task_definition.server').container_definitions,
    )
    expect(definitions).toContain('logDriver = "awslogs"')
    expect(definitions).toContain('aws_cloudwatch_log_group.server.name')
    expect(findResources(modules, 'aws_cloudwatch_log_group').size).toBeGreaterThanOrEqual(3)
  })
})

describe('load balancer', () => {
  it('keeps idle connections (WebSockets) open for at least 300 s by default', () => {
    const lb = getResource(mod('load_balancer'), 'aws_lb.this')
    expect(lb.load_balancer_type).toBe('application')
    expect(unwrap(lb.idle_timeout)).toBe('var.idle_timeout')
    expect(defaultOf(mod('load_balancer'), 'idle_timeout')).toBeGreaterThanOrEqual(300)
    expect(defaultOf(root, 'alb_idle_timeout')).toBeGreaterThanOrEqual(300)
    expect(lb.drop_invalid_header_fields).toBe(true)
  })

  it('checks /readyz and drains a stopping task for at most 30 s, without sticky sessions', () => {
    const group = getResource(mod('load_balancer'), 'aws_lb_target_group.server')
    expect(group.target_type).toBe('ip')
    const check = getBlock(group, 'health_check')
    expect(check.path).toBe('/readyz')
    expect(check.matcher).toBe('200')
    expect(unwrap(group.deregistration_delay)).toBe('var.deregistration_delay')
    expect(defaultOf(mod('load_balancer'), 'deregistration_delay')).toBeLessThanOrEqual(30)
    expect(defaultOf(root, 'deregistration_delay')).toBeLessThanOrEqual(30)
    expect(validationsOf(mod('load_balancer'), 'deregistration_delay').join()).toContain(
      'var.deregistration_delay <= 30',
    )
    expect(getBlock(group, 'stickiness').enabled).toBe(false)
  })

  it('serves HTTPS with a DNS-validated ACM certificate and redirects HTTP', () => {
    const lb = mod('load_balancer')
    expect(getResource(lb, 'aws_acm_certificate.api').validation_method).toBe('DNS')
    const https = getResource(lb, 'aws_lb_listener.https')
    expect(https.port).toBe(443)
    expect(https.protocol).toBe('HTTPS')
    expect(unwrap(https.certificate_arn)).toBe('aws_acm_certificate_validation.api.certificate_arn')
    expect(String(https.ssl_policy)).toContain('var.ssl_policy')
    expect(String(defaultOf(lb, 'ssl_policy'))).toMatch(/TLS13/)
    const redirect = getBlock(
      getBlock(getResource(lb, 'aws_lb_listener.http'), 'default_action'),
      'redirect',
    )
    expect(redirect).toMatchObject({ protocol: 'HTTPS', status_code: 'HTTP_301' })
  })

  it('keeps /metrics off the internet: the ALB answers 404 itself, CloudFront never forwards it', () => {
    const lb = mod('load_balancer')
    const rule = getResource(lb, 'aws_lb_listener_rule.hide_metrics')
    expect(unwrap(rule.listener_arn)).toBe('aws_lb_listener.https.arn')
    const condition = getBlock(getBlock(rule, 'condition'), 'path_pattern')
    expect(condition.values).toEqual(['/metrics', '/metrics/*'])
    const action = getBlock(rule, 'action')
    expect(action.type).toBe('fixed-response')
    expect(getBlock(action, 'fixed_response').status_code).toBe('404')
    // The only rule of the listener, so nothing with a higher priority can forward /metrics.
    const rules = findResources(modules, 'aws_lb_listener_rule')
    expect([...rules.keys()]).toEqual(['modules/load_balancer: aws_lb_listener_rule.hide_metrics'])
    // Nothing scrapes /metrics through the ALB: the health check is /readyz.
    const group = getResource(lb, 'aws_lb_target_group.server')
    expect(getBlock(group, 'health_check').path).not.toMatch(/metrics/)
    // CloudFront sends its API paths to the ALB, /metrics goes to the private bucket.
    const apiPaths = mod('web').locals.get('api_paths') as string[]
    const isForwarded = (path: string) => apiPaths.some((p) => matchesPathPattern(p, path))
    for (const path of ['/metrics', '/metrics/', '/metrics/x']) {
      expect(isForwarded(path), path).toBe(false)
    }
    expect(isForwarded('/trpc/auth.login')).toBe(true)
  })

  it('lets the ALB reach the tasks only on the server port, and the tasks nothing else inbound', () => {
    const security = mod('security')
    const ingress = getResource(security, 'aws_vpc_security_group_ingress_rule.app_from_alb')
    expect(unwrap(ingress.referenced_security_group_id)).toBe('aws_security_group.alb.id')
    expect(unwrap(ingress.from_port)).toBe('var.server_port')
    const appIngress = [...security.resources.entries()].filter(
      ([address, body]) =>
        address.startsWith('aws_vpc_security_group_ingress_rule.') &&
        unwrap(body.security_group_id) === 'aws_security_group.app.id',
    )
    expect(appIngress.map(([address]) => address)).toEqual([
      'aws_vpc_security_group_ingress_rule.app_from_alb',
    ])
  })
})

describe('client addresses behind CloudFront and the ALB', () => {
  // devices -> ALB -> task and browsers -> CloudFront -> ALB -> task: one hop count can't fit
  // both, so the tasks trust the proxies' addresses and take the first address outside them.

  it('gives the tasks TRUST_PROXY as the address ranges of their proxies, not a hop count', () => {
    const environment = String(mod('service').locals.get('environment'))
    expect(environment).toMatch(/^\s*TRUST_PROXY\s*=\s*join\(",", var\.trusted_proxy_cidrs\)$/m)
    expect(environment).not.toMatch(/TRUST_PROXY\s*=\s*"/)
    expect(readServerEnv().has('TRUST_PROXY')).toBe(true)
    expect(validationsOf(mod('service'), 'trusted_proxy_cidrs').join()).toContain(
      'can(cidrhost(cidr, 0))',
    )
    expect(defaultOf(mod('service'), 'trusted_proxy_cidrs')).toBeUndefined()
    // Not overridable through server_environment.
    expect(validationsOf(mod('service'), 'environment').join()).toContain('"TRUST_PROXY"')
  })

  it('trusts exactly the ALB subnets and the ranges CloudFront reaches origins from', () => {
    expect(unwrap(root.moduleCalls.get('service')?.trusted_proxy_cidrs)).toBe(
      'concat(module.network.public_subnet_cidrs, module.web.origin_facing_cidrs)',
    )
    // The ALB's nodes live in the public subnets, and the tasks accept only the ALB.
    expect(unwrap(root.moduleCalls.get('load_balancer')?.public_subnet_ids)).toBe(
      'module.network.public_subnet_ids',
    )
    expect(unwrap(mod('network').outputs.get('public_subnet_cidrs')?.value)).toBe(
      'aws_subnet.public[*].cidr_block',
    )
    const prefixList = mod('web').data.get('aws_ec2_managed_prefix_list.origin_facing')
    expect(prefixList?.name).toBe('com.amazonaws.global.cloudfront.origin-facing')
    expect(unwrap(mod('web').outputs.get('origin_facing_cidrs')?.value)).toBe(
      'sort([for entry in data.aws_ec2_managed_prefix_list.origin_facing.entries : entry.cidr])',
    )
  })

  it('has the ALB append the address it saw to X-Forwarded-For (no port), as the tasks expect', () => {
    const lb = getResource(mod('load_balancer'), 'aws_lb.this')
    expect(lb.xff_header_processing_mode).toBe('append')
    expect(lb.enable_xff_client_port).toBe(false)
    // The CloudFront origin of the API is the ALB's hostname: one more hop, also appended.
    const distribution = getResource(mod('web'), 'aws_cloudfront_distribution.this')
    const apiOrigin = getBlocks(distribution, 'origin').find((o) => o.origin_id === 'api')
    expect(unwrap(apiOrigin?.domain_name)).toBe('var.api_hostname')
    expect(unwrap(root.moduleCalls.get('web')?.api_hostname)).toBe('var.api_hostname')
    expect(unwrap(root.moduleCalls.get('load_balancer')?.api_hostname)).toBe('var.api_hostname')
  })
})

describe('database', () => {
  it('runs TimescaleDB on one EC2 instance (RDS has no TimescaleDB), never in an autoscaling group', () => {
    expect(getResource(mod('database'), 'aws_instance.db').instance_type).toBe(
      '${var.instance_type}',
    )
    for (const type of [
      'aws_autoscaling_group',
      'aws_launch_template',
      'aws_launch_configuration',
      'aws_db_instance',
      'aws_rds_cluster',
    ]) {
      expect(findResources(modules, type).size, type).toBe(0)
    }
  })

  it('keeps the data on an encrypted EBS volume that outlives the instance', () => {
    const database = mod('database')
    const volume = getResource(database, 'aws_ebs_volume.data')
    expect(volume.encrypted).toBe(true)
    expect(volume.type).toBe('gp3')
    expect(getBlock(volume, 'lifecycle').prevent_destroy).toBe(true)
    expect(unwrap(volume.availability_zone)).toBe('data.aws_subnet.this.availability_zone')
    const attachment = getResource(database, 'aws_volume_attachment.data')
    expect(unwrap(attachment.volume_id)).toBe('aws_ebs_volume.data.id')
    expect(getBlock(getResource(database, 'aws_instance.db'), 'root_block_device').encrypted).toBe(
      true,
    )
    expect(getBlock(getResource(database, 'aws_instance.db'), 'metadata_options').http_tokens).toBe(
      'required',
    )
  })

  it('snapshots the data volume on a schedule (Data Lifecycle Manager) and keeps a number of them', () => {
    const database = mod('database')
    const policy = getResource(database, 'aws_dlm_lifecycle_policy.snapshots')
    expect(policy.state).toBe('ENABLED')
    const details = getBlock(policy, 'policy_details')
    expect(details.resource_types).toEqual(['VOLUME'])
    const volumeTags = getResource(database, 'aws_ebs_volume.data').tags as Record<string, unknown>
    expect(details.target_tags).toEqual({ 'fms:snapshot': '${local.snapshot_tag}' })
    expect(volumeTags['fms:snapshot']).toBe('${local.snapshot_tag}')
    const schedule = getBlock(details, 'schedule')
    expect(getBlock(schedule, 'create_rule').interval_unit).toBe('HOURS')
    expect(unwrap(getBlock(schedule, 'retain_rule').count)).toBe('var.snapshot_retain_count')
    expect(defaultOf(database, 'snapshot_retain_count')).toBeGreaterThanOrEqual(7)
  })

  it('can use an external (managed Timescale) URL instead of the instance', () => {
    const call = root.moduleCalls.get('database')!
    expect(unwrap(call.count)).toBe('local.use_external_database ? 0 : 1')
    expect(unwrap(root.locals.get('use_external_database'))).toBe('var.external_database_url != ""')
    expect(unwrap(root.locals.get('database_url'))).toContain('var.external_database_url')
    expect(root.variables.get('external_database_url')?.sensitive).toBe(true)
  })

  it('uses the same TimescaleDB image as the compose stack', () => {
    const compose = parseYaml(readFileSync(join(DOCKER_DIR, 'compose.yaml'), 'utf8'), {
      merge: true,
    }) as { services: Record<string, { image?: string }> }
    const image = compose.services.timescaledb?.image
    expect(image).toMatch(/^timescale\/timescaledb:/)
    expect(defaultOf(root, 'timescaledb_image')).toBe(image)
    expect(defaultOf(mod('database'), 'timescaledb_image')).toBe(image)
  })

  it('sizes max_connections for every task at the deployment peak (13 connections each)', () => {
    expect(unwrap(root.locals.get('db_max_connections'))).toBe(
      'max(100, var.max_tasks * 2 * 13 + 20)',
    )
    expect(unwrap(root.moduleCalls.get('database')?.max_connections)).toBe(
      'local.db_max_connections',
    )
  })
})

describe('Redis (ElastiCache) for the live bus', () => {
  it('replicates across two AZs with failover, encrypted in transit and at rest', () => {
    const group = getResource(mod('cache'), 'aws_elasticache_replication_group.this')
    expect(group.engine).toBe('redis')
    expect(group.num_cache_clusters).toBeGreaterThanOrEqual(2)
    expect(group.automatic_failover_enabled).toBe(true)
    expect(group.multi_az_enabled).toBe(true)
    expect(group.transit_encryption_enabled).toBe(true)
    expect(group.at_rest_encryption_enabled).toBe(true)
    expect(unwrap(group.auth_token)).toBe('random_password.auth.result')
  })

  it('hands the server a rediss:// REDIS_URL', () => {
    expect(String(mod('cache').outputs.get('redis_url')?.value)).toMatch(/^rediss:\/\//)
    expect(mod('cache').outputs.get('redis_url')?.sensitive).toBe(true)
    expect(unwrap(root.moduleCalls.get('secrets')?.redis_url)).toBe('module.cache.redis_url')
  })
})

describe('web app on S3 + CloudFront', () => {
  it('keeps the bucket private, readable by CloudFront only', () => {
    const web = mod('web')
    expect(getResource(web, 'aws_s3_bucket_public_access_block.web')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    })
    const policy = String(getResource(web, 'aws_s3_bucket_policy.web').policy)
    expect(policy).toContain('cloudfront.amazonaws.com')
    expect(policy).toContain('aws_cloudfront_distribution.this.arn')
    const distribution = getResource(web, 'aws_cloudfront_distribution.this')
    const s3Origin = getBlocks(distribution, 'origin').find((o) => o.origin_id === 'web')
    expect(unwrap(s3Origin?.origin_access_control_id)).toBe(
      'aws_cloudfront_origin_access_control.web.id',
    )
  })

  it('serves index.html over HTTPS with the app certificate from us-east-1', () => {
    const distribution = getResource(mod('web'), 'aws_cloudfront_distribution.this')
    expect(distribution.default_root_object).toBe('index.html')
    expect(getBlock(distribution, 'default_cache_behavior').viewer_protocol_policy).toBe(
      'redirect-to-https',
    )
    const certificate = getBlock(distribution, 'viewer_certificate')
    expect(unwrap(certificate.acm_certificate_arn)).toBe(
      'aws_acm_certificate_validation.app.certificate_arn',
    )
    expect(certificate.minimum_protocol_version).toMatch(/^TLSv1\.2/)
  })

  it('forwards the app API paths (tRPC over HTTP and WebSocket) to the ALB, uncached', () => {
    const distribution = getResource(mod('web'), 'aws_cloudfront_distribution.this')
    const { forEach, content } = getDynamicContent(distribution, 'ordered_cache_behavior')
    expect(unwrap(forEach)).toBe('local.api_paths')
    expect(mod('web').locals.get('api_paths')).toEqual(['/trpc*', '/api/*', '/osmand/*'])
    expect(content.target_origin_id).toBe('api')
    expect(unwrap(content.cache_policy_id)).toBe(
      'data.aws_cloudfront_cache_policy.caching_disabled.id',
    )
    expect(unwrap(content.origin_request_policy_id)).toBe(
      'data.aws_cloudfront_origin_request_policy.all_viewer_except_host.id',
    )
    expect(content.allowed_methods).toContain('POST')
    const policies = findResources(modules, 'aws_cloudfront_origin_request_policy', 'data')
    expect([...policies.values()].map((p) => p.name)).toEqual(['Managed-AllViewerExceptHostHeader'])
    const apiOrigin = getBlocks(distribution, 'origin').find((o) => o.origin_id === 'api')
    expect(getBlock(apiOrigin!, 'custom_origin_config').origin_protocol_policy).toBe('https-only')
  })

  it('adds the server security headers (CSP, frame and referrer policy) to the files from S3', () => {
    const source = readFileSync(join(DOCKER_DIR, '../../apps/server/src/security.ts'), 'utf8')
    const csp = /'Content-Security-Policy':\s*([\s\S]*?),\n\}/.exec(source)?.[1] ?? ''
    const serverCsp = [...csp.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('')
    const directives = (mod('web').locals.get('content_security_policy') as string)
      .replace(/^\$\{join\("; ", \[/, '')
      .replace(/\]\)\}$/, '')
    const infraCsp = [...directives.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('; ')
    expect(serverCsp.replace(/\s+/g, ' ').trim()).toBe(infraCsp)
  })
})

describe('DNS, secrets, registry', () => {
  it('points Route 53 records at the ALB (API) and CloudFront (app)', () => {
    const api = getResource(mod('load_balancer'), 'aws_route53_record.api')
    expect(unwrap(getBlock(api, 'alias').name)).toBe('aws_lb.this.dns_name')
    const app = getResource(mod('web'), 'aws_route53_record.app')
    expect(unwrap(getBlock(app, 'alias').name)).toBe('aws_cloudfront_distribution.this.domain_name')
    expect(findResources(modules, 'aws_route53_record').size).toBeGreaterThanOrEqual(5)
    expect(findResources(modules, 'aws_route53_zone', 'data').size).toBe(1)
  })

  it('generates JWT_SECRET (64 characters, rotatable by a version bump)', () => {
    const secrets = mod('secrets')
    const jwt = getResource(secrets, 'random_password.jwt')
    expect(jwt.length).toBeGreaterThanOrEqual(32)
    expect(jwt.keepers).toEqual({ version: '${var.jwt_secret_version}' })
    expect(
      unwrap(getResource(secrets, 'aws_secretsmanager_secret_version.jwt').secret_string),
    ).toBe('random_password.jwt.result')
  })

  it('rolls the tasks when a secret changes (its revision is in the task environment)', () => {
    expect(String(mod('service').locals.get('environment'))).toContain(
      'FMS_SECRETS_REVISION = var.secrets_revision',
    )
    expect(unwrap(root.moduleCalls.get('service')?.secrets_revision)).toBe(
      'module.secrets.revision',
    )
  })

  it('keeps release images immutable and scanned in ECR', () => {
    const repository = getResource(mod('registry'), 'aws_ecr_repository.server')
    expect(repository.image_tag_mutability).toBe('IMMUTABLE')
    expect(getBlock(repository, 'image_scanning_configuration').scan_on_push).toBe(true)
    expect(root.moduleCalls.get('service')?.image).toBe(
      '${module.registry.repository_url}:${var.image_tag}',
    )
  })
})
