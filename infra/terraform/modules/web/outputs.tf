output "bucket" {
  description = "S3 bucket of the web app (repository variable WEB_BUCKET of the release workflow)."
  value       = aws_s3_bucket.web.bucket
}

output "bucket_arn" {
  description = "ARN of the web app bucket."
  value       = aws_s3_bucket.web.arn
}

output "distribution_id" {
  description = "CloudFront distribution (repository variable CLOUDFRONT_DISTRIBUTION_ID of the release workflow)."
  value       = aws_cloudfront_distribution.this.id
}

output "distribution_arn" {
  description = "ARN of the CloudFront distribution."
  value       = aws_cloudfront_distribution.this.arn
}

output "origin_facing_cidrs" {
  description = "IPv4 ranges CloudFront reaches its origins from (the ALB is IPv4 only, so CloudFront connects over IPv4)."
  value       = sort([for entry in data.aws_ec2_managed_prefix_list.origin_facing.entries : entry.cidr])
}

output "app_url" {
  description = "URL of the web app."
  value       = "https://${var.app_hostname}"
}
