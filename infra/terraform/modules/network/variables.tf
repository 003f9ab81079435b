variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "cidr_block" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones to spread the subnets over (the ALB, ECS and ElastiCache need two)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 4
    error_message = "az_count must be between 2 and 4."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper, but an AZ outage cuts egress) instead of one per AZ."
  type        = bool
  default     = false
}

variable "region" {
  description = "AWS region (for the S3 gateway endpoint's service name)."
  type        = string
}
