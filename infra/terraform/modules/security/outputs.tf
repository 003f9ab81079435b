output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.alb.id
}

output "app_security_group_id" {
  description = "Security group of the server tasks."
  value       = aws_security_group.app.id
}

output "db_security_group_id" {
  description = "Security group of the TimescaleDB instance."
  value       = aws_security_group.db.id
}

output "cache_security_group_id" {
  description = "Security group of the Redis replication group."
  value       = aws_security_group.cache.id
}
