variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "database_url" {
  description = "DATABASE_URL of the server: the EC2 TimescaleDB or an external (managed Timescale) URL."
  type        = string
  sensitive   = true
}

variable "redis_url" {
  description = "REDIS_URL of the server (the live bus)."
  type        = string
  sensitive   = true
}

variable "jwt_secret_version" {
  description = "Bump to generate a new JWT_SECRET (rotation: signs every user out; docs/operations.md)."
  type        = number
  default     = 1
}

variable "recovery_window_days" {
  description = "Days a deleted secret can be restored."
  type        = number
  default     = 7
}
