# ---- naming and placement ----------------------------------------------------------------------

variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string
  default     = "fms"
}

variable "environment" {
  description = "Environment name, e.g. prod or staging (second part of every resource name)."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment must be 2-16 lowercase letters, digits or dashes."
  }
}

variable "region" {
  description = "AWS region of the deployment."
  type        = string
  default     = "eu-central-1"
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

variable "az_count" {
  description = "Availability zones to spread over (at least two)."
  type        = number
  default     = 2
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per AZ (cheaper, less available)."
  type        = bool
  default     = false
}

# ---- DNS ---------------------------------------------------------------------------------------

variable "zone_name" {
  description = "Route 53 public hosted zone that holds both hostnames, e.g. example.com."
  type        = string
}

variable "app_hostname" {
  description = "Hostname of the web app (CloudFront), e.g. fleet.example.com."
  type        = string
}

variable "api_hostname" {
  description = "Hostname of the API (ALB): devices post telemetry here, e.g. api.fleet.example.com."
  type        = string
}

# ---- server (ECS Fargate) ----------------------------------------------------------------------

variable "image_tag" {
  description = "Tag of the server image in the ECR repository, e.g. v1.2.0 (pushed by the release workflow)."
  type        = string
}

variable "server_cpu" {
  description = "CPU units per server task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "server_memory" {
  description = "Memory per server task in MiB."
  type        = number
  default     = 2048
}

variable "server_cpu_architecture" {
  description = "X86_64 or ARM64 (the release workflow publishes both)."
  type        = string
  default     = "X86_64"
}

variable "min_tasks" {
  description = "Fewest server tasks (at least 2)."
  type        = number
  default     = 2
}

variable "max_tasks" {
  description = "Most server tasks."
  type        = number
  default     = 10
}

variable "cpu_target" {
  description = "Average CPU utilization (%) autoscaling aims for."
  type        = number
  default     = 60
}

variable "memory_target" {
  description = "Average memory utilization (%) autoscaling aims for."
  type        = number
  default     = 75
}

variable "server_environment" {
  description = "More server settings (INGEST_*, LIVE_FLUSH_MS, ACCESS_TOKEN_TTL_SEC, ...; see .env.example)."
  type        = map(string)
  default     = {}
}

variable "alb_idle_timeout" {
  description = "ALB idle timeout in seconds (WebSockets are pinged every 30 s)."
  type        = number
  default     = 300
}

variable "deregistration_delay" {
  description = "Seconds the ALB drains a stopping task."
  type        = number
  default     = 20
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into server tasks."
  type        = bool
  default     = false
}

# ---- database ----------------------------------------------------------------------------------

variable "external_database_url" {
  description = "postgres:// URL of a managed Timescale service; empty runs TimescaleDB on EC2."
  type        = string
  default     = ""
  sensitive   = true

  validation {
    condition     = var.external_database_url == "" || can(regex("^postgres(ql)?://", var.external_database_url))
    error_message = "external_database_url must be empty or a postgres:// URL."
  }
}

variable "timescaledb_image" {
  description = "TimescaleDB image of the EC2 database (the official one)."
  type        = string
  default     = "timescale/timescaledb:2.17.2-pg17"
}

variable "db_instance_type" {
  description = "EC2 instance type of the database."
  type        = string
  default     = "m7g.large"
}

variable "db_architecture" {
  description = "arm64 or x86_64, matching db_instance_type."
  type        = string
  default     = "arm64"
}

variable "db_volume_size_gb" {
  description = "Size of the encrypted database volume."
  type        = number
  default     = 200
}

variable "db_snapshot_interval_hours" {
  description = "Hours between EBS snapshots of the database volume."
  type        = number
  default     = 24
}

variable "db_snapshot_retain_count" {
  description = "EBS snapshots to keep."
  type        = number
  default     = 14
}

variable "db_dump_schedule" {
  description = "systemd OnCalendar of the pg_dump to S3; empty disables it."
  type        = string
  default     = "*-*-* 04:00:00"
}

variable "db_backup_retention_days" {
  description = "Days to keep pg_dump backups."
  type        = number
  default     = 30
}

# ---- Redis, secrets, logs, CI ------------------------------------------------------------------

variable "redis_node_type" {
  description = "ElastiCache node type of the live bus."
  type        = string
  default     = "cache.t4g.small"
}

variable "jwt_secret_version" {
  description = "Bump to rotate JWT_SECRET (signs every user out; docs/operations.md)."
  type        = number
  default     = 1
}

variable "secrets_recovery_window_days" {
  description = "Days a deleted secret can be restored."
  type        = number
  default     = 7
}

variable "log_retention_days" {
  description = "Days to keep CloudWatch logs."
  type        = number
  default     = 30
}

variable "alarm_topic_arns" {
  description = "SNS topics for the CloudWatch alarms."
  type        = list(string)
  default     = []
}

variable "github_repository" {
  description = "owner/name of the GitHub repository allowed to publish releases through OIDC; empty: none."
  type        = string
  default     = ""
}

variable "create_github_oidc_provider" {
  description = "Create the GitHub Actions OIDC provider (false if the account already has it)."
  type        = bool
  default     = true
}
