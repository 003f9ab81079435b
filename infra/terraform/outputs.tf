output "app_url" {
  description = "URL of the web app (CloudFront)."
  value       = module.web.app_url
}

output "api_url" {
  description = "URL of the API for devices and the simulator (ALB)."
  value       = module.load_balancer.api_url
}

output "availability_zones" {
  description = "Availability zones of the deployment."
  value       = module.network.availability_zones
}

output "ecr_repository_url" {
  description = "Repository the release workflow pushes the server image to."
  value       = module.registry.repository_url
}

output "ci_role_arn" {
  description = "Role of the release workflow (repository variable AWS_RELEASE_ROLE_ARN)."
  value       = module.registry.ci_role_arn
}

output "web_bucket" {
  description = "Bucket of the web app (repository variable WEB_BUCKET)."
  value       = module.web.bucket
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution (repository variable CLOUDFRONT_DISTRIBUTION_ID)."
  value       = module.web.distribution_id
}

output "ecs_cluster" {
  description = "ECS cluster of the server."
  value       = module.service.cluster_name
}

output "ecs_service" {
  description = "ECS service of the server."
  value       = module.service.service_name
}

output "server_log_group" {
  description = "CloudWatch log group of the server."
  value       = module.service.log_group_name
}

output "database_instance_id" {
  description = "TimescaleDB instance (SSM Session Manager); null with external_database_url."
  value       = one(module.database[*].instance_id)
}

output "database_backup_bucket" {
  description = "Bucket of the pg_dump backups; null with external_database_url."
  value       = one(module.database[*].backup_bucket)
}

output "database_volume_id" {
  description = "Encrypted data volume of the database; null with external_database_url."
  value       = one(module.database[*].data_volume_id)
}

output "egress_ips" {
  description = "Addresses outbound traffic of the tasks comes from (allowlist them at a managed Timescale service)."
  value       = module.network.nat_public_ips
}
