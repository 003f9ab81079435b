variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "region" {
  description = "AWS region (for the awslogs driver)."
  type        = string
}

variable "image" {
  description = "Server image with its tag, e.g. <account>.dkr.ecr.<region>.amazonaws.com/fms-prod:v1.2.0."
  type        = string
}

variable "cpu" {
  description = "Task CPU units (1024 = 1 vCPU); sizing: docs/operations.md."
  type        = number
  default     = 1024
}

variable "memory" {
  description = "Task memory in MiB."
  type        = number
  default     = 2048
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (Graviton; the release workflow builds both)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "min_tasks" {
  description = "Fewest server tasks; at least two, in different AZs, so one can fail or be replaced."
  type        = number
  default     = 2

  validation {
    condition     = var.min_tasks >= 2
    error_message = "min_tasks must be at least 2: a single task is a single point of failure."
  }
}

variable "max_tasks" {
  description = "Most server tasks autoscaling may run."
  type        = number
  default     = 10
}

variable "cpu_target" {
  description = "Average CPU utilization (%) that autoscaling holds the service at."
  type        = number
  default     = 60
}

variable "memory_target" {
  description = "Average memory utilization (%) that autoscaling holds the service at."
  type        = number
  default     = 75
}

variable "private_subnet_ids" {
  description = "Private subnets for the tasks, in at least two AZs."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the tasks."
  type        = string
}

variable "target_group_arn" {
  description = "ALB target group the tasks register with."
  type        = string
}

variable "server_port" {
  description = "Port the server listens on (PORT)."
  type        = number
  default     = 4000
}

variable "server_secrets" {
  description = "Environment variable name => Secrets Manager ARN (JWT_SECRET, DATABASE_URL, REDIS_URL)."
  type        = map(string)
}

variable "secret_arns" {
  description = "Secrets the task execution role may read."
  type        = list(string)
}

variable "secrets_revision" {
  description = "Changes when a secret's value changes; rolls the tasks onto the new values."
  type        = string
}

variable "trusted_proxy_cidrs" {
  description = "Addresses of the proxies in front of the tasks (TRUST_PROXY): the ALB's subnets and CloudFront's origin-facing ranges."
  type        = list(string)

  validation {
    condition     = length(var.trusted_proxy_cidrs) > 0 && alltrue([for cidr in var.trusted_proxy_cidrs : can(cidrhost(cidr, 0))])
    error_message = "trusted_proxy_cidrs must be a non-empty list of CIDR blocks."
  }
}

variable "cors_origins" {
  description = "Browser origins allowed besides the server's own (CORS_ORIGINS): the CloudFront app origin."
  type        = list(string)
  default     = []
}

variable "environment" {
  description = "More server settings (INGEST_*, LIVE_FLUSH_MS, ACCESS_TOKEN_TTL_SEC, ...; see .env.example)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.environment) : !contains(["JWT_SECRET", "DATABASE_URL", "REDIS_URL"], key)])
    error_message = "JWT_SECRET, DATABASE_URL and REDIS_URL come from Secrets Manager, not from environment."
  }

  validation {
    condition     = !contains(keys(var.environment), "TRUST_PROXY")
    error_message = "TRUST_PROXY follows the proxies in front of the tasks (trusted_proxy_cidrs), not environment."
  }
}

variable "stop_timeout" {
  description = "Seconds between SIGTERM and SIGKILL. The server drains in about 10 s."
  type        = number
  default     = 30

  validation {
    condition     = var.stop_timeout >= 30 && var.stop_timeout <= 120
    error_message = "stop_timeout must be between 30 and 120 seconds."
  }
}

variable "health_check_grace_period" {
  description = "Seconds after a task starts before ALB health counts (migrations run at start)."
  type        = number
  default     = 60
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into the tasks (SSM)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days to keep the server logs in CloudWatch."
  type        = number
  default     = 30
}

variable "keepalive_timeout_sec" {
  description = "Server idle keep-alive (HTTP_KEEPALIVE_TIMEOUT_SEC): above the ALB idle timeout."
  type        = number
  default     = 310
}
