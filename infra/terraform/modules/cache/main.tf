# ElastiCache Redis: the live bus across server nodes (Redis Streams). A primary and a replica in
# two AZs with automatic failover; TLS in transit (rediss://) with an AUTH token, encrypted at rest.
# It holds only the short resume history of live updates, so no snapshots are kept.

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "random_password" "auth" {
  length  = 64
  special = false
}

resource "aws_cloudwatch_log_group" "slow_log" {
  name              = "/${var.name}/redis/slow-log"
  retention_in_days = var.log_retention_days
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "FMS live bus"
  engine                     = "redis"
  engine_version             = var.engine_version
  node_type                  = var.node_type
  port                       = 6379
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [var.security_group_id]
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  auth_token                 = random_password.auth.result
  snapshot_retention_limit   = 0
  maintenance_window         = "sun:05:00-sun:06:00"
  apply_immediately          = false

  log_delivery_configuration {
    destination      = aws_cloudwatch_log_group.slow_log.name
    destination_type = "cloudwatch-logs"
    log_format       = "json"
    log_type         = "slow-log"
  }
}
