variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "region" {
  description = "AWS region (the instance's scripts call AWS APIs there)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the instance (for the private DNS zone)."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet for the instance; its AZ is where the data volume lives."
  type        = string
}

variable "security_group_id" {
  description = "Security group of the instance (PostgreSQL from the server tasks)."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type. Memory matters most: PostgreSQL keeps recent telemetry chunks in RAM."
  type        = string
  default     = "m7g.large"
}

variable "architecture" {
  description = "CPU architecture of instance_type: arm64 (Graviton) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "timescaledb_image" {
  description = "TimescaleDB container image (the official one; the same tag as infra/docker/compose.yaml)."
  type        = string
  default     = "timescale/timescaledb:2.17.2-pg17"
}

variable "database_name" {
  description = "Database the server uses."
  type        = string
  default     = "fms"
}

variable "database_user" {
  description = "Database role the server uses (created as the container's superuser)."
  type        = string
  default     = "fms"
}

variable "max_connections" {
  description = "PostgreSQL max_connections: 13 per server task (API pool 10, writer 2, probe 1) at the deployment peak, plus headroom."
  type        = number
  default     = 300
}

variable "volume_size_gb" {
  description = "Size of the encrypted data volume (gp3)."
  type        = number
  default     = 200
}

variable "volume_iops" {
  description = "Provisioned IOPS of the data volume (gp3: 3000 included)."
  type        = number
  default     = 3000
}

variable "volume_throughput" {
  description = "Throughput of the data volume in MiB/s (gp3: 125 included)."
  type        = number
  default     = 250
}

variable "kms_key_id" {
  description = "KMS key for the EBS volumes; null uses the account's aws/ebs key."
  type        = string
  default     = null
}

variable "snapshot_interval_hours" {
  description = "Hours between EBS snapshots of the data volume."
  type        = number
  default     = 24

  validation {
    condition     = contains([1, 2, 3, 4, 6, 8, 12, 24], var.snapshot_interval_hours)
    error_message = "snapshot_interval_hours must be one of 1, 2, 3, 4, 6, 8, 12, 24 (Data Lifecycle Manager)."
  }
}

variable "snapshot_time" {
  description = "UTC start time (HH:MM) of the snapshot schedule."
  type        = string
  default     = "03:00"
}

variable "snapshot_retain_count" {
  description = "Snapshots to keep."
  type        = number
  default     = 14
}

variable "dump_schedule" {
  description = "systemd OnCalendar of the logical backup (pg_dump to S3); empty disables it."
  type        = string
  default     = "*-*-* 04:00:00"
}

variable "backup_retention_days" {
  description = "Days to keep logical backups in the backup bucket."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "Days to keep the database's CloudWatch logs."
  type        = number
  default     = 30
}

variable "deletion_protection" {
  description = "Refuse to terminate the instance through the API."
  type        = bool
  default     = true
}

variable "secrets_recovery_window_days" {
  description = "Days a deleted secret can be restored."
  type        = number
  default     = 7
}

variable "alarm_topic_arns" {
  description = "SNS topics notified by the instance's alarms."
  type        = list(string)
  default     = []
}
