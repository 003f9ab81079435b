variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "zone_id" {
  description = "Route 53 public hosted zone of app_hostname."
  type        = string
}

variable "app_hostname" {
  description = "Hostname of the web app, e.g. fleet.example.com."
  type        = string
}

variable "api_hostname" {
  description = "Hostname of the ALB (the API origin for /trpc, /api and /osmand)."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class (edge locations used)."
  type        = string
  default     = "PriceClass_100"
}

variable "api_read_timeout" {
  description = "Seconds CloudFront waits for data from the API: above the server's 30 s request timeout and its 30 s WebSocket ping."
  type        = number
  default     = 60

  validation {
    condition     = var.api_read_timeout > 30 && var.api_read_timeout <= 180
    error_message = "api_read_timeout must be above 30 s (WebSocket pings) and at most 180 s."
  }
}
