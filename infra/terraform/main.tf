# FMS on AWS: stateless server tasks on ECS Fargate behind an ALB, TimescaleDB on EC2 (or a managed
# Timescale service), ElastiCache Redis for the live bus, the web app on S3 + CloudFront, DNS in
# Route 53, secrets in Secrets Manager, logs in CloudWatch. Operations: docs/operations.md.

locals {
  name                  = "${var.project}-${var.environment}"
  use_external_database = var.external_database_url != ""
  database_url          = local.use_external_database ? var.external_database_url : one(module.database[*].database_url)
  # 13 connections per task (API pool 10, writer 2, probe 1) while a deployment doubles the
  # tasks, plus headroom for operators and backups.
  db_max_connections = max(100, var.max_tasks * 2 * 13 + 20)
}

data "aws_route53_zone" "public" {
  name         = var.zone_name
  private_zone = false
}

module "network" {
  source = "./modules/network"

  name               = local.name
  region             = var.region
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
}

module "security" {
  source = "./modules/security"

  name   = local.name
  vpc_id = module.network.vpc_id
}

module "database" {
  source = "./modules/database"
  count  = local.use_external_database ? 0 : 1

  name                         = local.name
  region                       = var.region
  vpc_id                       = module.network.vpc_id
  subnet_id                    = module.network.private_subnet_ids[0]
  security_group_id            = module.security.db_security_group_id
  instance_type                = var.db_instance_type
  architecture                 = var.db_architecture
  timescaledb_image            = var.timescaledb_image
  max_connections              = local.db_max_connections
  volume_size_gb               = var.db_volume_size_gb
  snapshot_interval_hours      = var.db_snapshot_interval_hours
  snapshot_retain_count        = var.db_snapshot_retain_count
  dump_schedule                = var.db_dump_schedule
  backup_retention_days        = var.db_backup_retention_days
  log_retention_days           = var.log_retention_days
  secrets_recovery_window_days = var.secrets_recovery_window_days
  alarm_topic_arns             = var.alarm_topic_arns
}

module "cache" {
  source = "./modules/cache"

  name               = local.name
  subnet_ids         = module.network.private_subnet_ids
  security_group_id  = module.security.cache_security_group_id
  node_type          = var.redis_node_type
  log_retention_days = var.log_retention_days
}

module "secrets" {
  source = "./modules/secrets"

  name                 = local.name
  database_url         = local.database_url
  redis_url            = module.cache.redis_url
  jwt_secret_version   = var.jwt_secret_version
  recovery_window_days = var.secrets_recovery_window_days
}

module "load_balancer" {
  source = "./modules/load_balancer"

  name                 = local.name
  vpc_id               = module.network.vpc_id
  public_subnet_ids    = module.network.public_subnet_ids
  security_group_id    = module.security.alb_security_group_id
  zone_id              = data.aws_route53_zone.public.zone_id
  api_hostname         = var.api_hostname
  idle_timeout         = var.alb_idle_timeout
  deregistration_delay = var.deregistration_delay
  alarm_topic_arns     = var.alarm_topic_arns
}

module "web" {
  source = "./modules/web"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name         = local.name
  zone_id      = data.aws_route53_zone.public.zone_id
  app_hostname = var.app_hostname
  api_hostname = var.api_hostname
}

module "registry" {
  source = "./modules/registry"

  name                        = local.name
  github_repository           = var.github_repository
  create_github_oidc_provider = var.create_github_oidc_provider
  web_bucket_arn              = module.web.bucket_arn
  cloudfront_distribution_arn = module.web.distribution_arn
}

module "service" {
  source = "./modules/service"

  name                   = local.name
  region                 = var.region
  image                  = "${module.registry.repository_url}:${var.image_tag}"
  cpu                    = var.server_cpu
  memory                 = var.server_memory
  cpu_architecture       = var.server_cpu_architecture
  min_tasks              = var.min_tasks
  max_tasks              = var.max_tasks
  cpu_target             = var.cpu_target
  memory_target          = var.memory_target
  private_subnet_ids     = module.network.private_subnet_ids
  security_group_id      = module.security.app_security_group_id
  target_group_arn       = module.load_balancer.target_group_arn
  server_secrets         = module.secrets.server_secrets
  secret_arns            = module.secrets.secret_arns
  secrets_revision       = module.secrets.revision
  cors_origins           = ["https://${var.app_hostname}"]
  trusted_proxy_cidrs    = concat(module.network.public_subnet_cidrs, module.web.origin_facing_cidrs)
  environment            = var.server_environment
  enable_execute_command = var.enable_execute_command
  log_retention_days     = var.log_retention_days

  # The target group must be attached to a listener before a service can use it.
  depends_on = [module.load_balancer]
}
