output "redis_url" {
  description = "REDIS_URL for the server (rediss:// with the AUTH token)."
  value       = "rediss://:${random_password.auth.result}@${aws_elasticache_replication_group.this.primary_endpoint_address}:6379"
  sensitive   = true
}

output "primary_endpoint" {
  description = "Primary endpoint of the replication group."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}
