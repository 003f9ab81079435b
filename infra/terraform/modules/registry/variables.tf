variable "name" {
  description = "Prefix for resource names, e.g. fms-prod."
  type        = string
}

variable "keep_images" {
  description = "Tagged images to keep in the repository (older ones expire)."
  type        = number
  default     = 50
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose tag builds may push images and publish the web app; empty: no CI role."
  type        = string
  default     = ""
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider (false when the account already has one)."
  type        = bool
  default     = true
}

variable "web_bucket_arn" {
  description = "S3 bucket of the web app, which the CI role may sync."
  type        = string
}

variable "cloudfront_distribution_arn" {
  description = "CloudFront distribution the CI role may invalidate."
  type        = string
}
