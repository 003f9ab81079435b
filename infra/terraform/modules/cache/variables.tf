variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, in at least two AZs."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the replication group (Redis from the server tasks)."
  type        = string
}

variable "node_type" {
  description = "ElastiCache node type. The live bus holds about 1000 stream entries per organization."
  type        = string
  default     = "cache.t4g.small"
}

variable "engine_version" {
  description = "Redis engine version (Streams with XREAD BLOCK: 5.0 or later)."
  type        = string
  default     = "7.1"
}

variable "log_retention_days" {
  description = "Days to keep the slow log in CloudWatch."
  type        = number
  default     = 30
}
