output "target_group_arn" {
  description = "Target group of the server tasks."
  value       = aws_lb_target_group.server.arn
}

output "https_listener_arn" {
  description = "HTTPS listener (the ECS service depends on it)."
  value       = aws_lb_listener.https.arn
}

output "dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "api_url" {
  description = "Base URL of the API (devices, simulator, CloudFront's API origin)."
  value       = "https://${var.api_hostname}"
}
