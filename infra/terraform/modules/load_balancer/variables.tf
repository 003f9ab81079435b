variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the target group."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets in at least two AZs."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the load balancer."
  type        = string
}

variable "zone_id" {
  description = "Route 53 public hosted zone of api_hostname."
  type        = string
}

variable "api_hostname" {
  description = "Hostname of the API (devices post telemetry here; CloudFront forwards /trpc here), e.g. api.fleet.example.com."
  type        = string
}

variable "server_port" {
  description = "Port the server tasks listen on (PORT)."
  type        = number
  default     = 4000
}

variable "idle_timeout" {
  description = "Seconds an idle connection (also a WebSocket) stays open. The server pings every WebSocket every 30 s."
  type        = number
  default     = 300

  validation {
    condition     = var.idle_timeout >= 60 && var.idle_timeout <= 4000
    error_message = "idle_timeout must be between 60 and 4000 seconds (WebSocket pings come every 30 s)."
  }
}

variable "deregistration_delay" {
  description = "Seconds a stopping task keeps its in-flight requests before the ALB cuts them; SIGTERM drains in ~10 s after that."
  type        = number
  default     = 20

  validation {
    condition     = var.deregistration_delay >= 5 && var.deregistration_delay <= 30
    error_message = "deregistration_delay must be between 5 and 30 seconds."
  }
}

variable "health_check_interval" {
  description = "Seconds between health checks of /readyz."
  type        = number
  default     = 10
}

variable "unhealthy_threshold" {
  description = "Failed /readyz checks before a task is taken out (and replaced by ECS). /readyz fails while the database is unreachable: a short database restart should not recycle every task."
  type        = number
  default     = 6
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "alarm_topic_arns" {
  description = "SNS topics notified by the load balancer's alarms."
  type        = list(string)
  default     = []
}
