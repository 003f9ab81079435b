output "database_url" {
  description = "DATABASE_URL for the server (postgres://, by the private DNS name of the instance)."
  value       = "postgres://${var.database_user}:${random_password.db.result}@${local.host}:5432/${var.database_name}"
  sensitive   = true
}

output "instance_id" {
  description = "ID of the TimescaleDB instance (for SSM Session Manager)."
  value       = aws_instance.db.id
}

output "host" {
  description = "Private DNS name of the database."
  value       = local.host
}

output "data_volume_id" {
  description = "ID of the encrypted data volume (snapshotted by Data Lifecycle Manager)."
  value       = aws_ebs_volume.data.id
}

output "backup_bucket" {
  description = "S3 bucket of the logical backups."
  value       = aws_s3_bucket.backups.bucket
}

output "password_secret_arn" {
  description = "Secrets Manager secret holding the database password."
  value       = aws_secretsmanager_secret.password.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the database container."
  value       = aws_cloudwatch_log_group.timescaledb.name
}
