variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC to create the security groups in."
  type        = string
}

variable "server_port" {
  description = "Port the server listens on (PORT)."
  type        = number
  default     = 4000
}
