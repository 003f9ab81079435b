output "server_secrets" {
  description = "Environment variable name => Secrets Manager secret ARN, for the task definition."
  value = {
    JWT_SECRET   = aws_secretsmanager_secret.jwt.arn
    DATABASE_URL = aws_secretsmanager_secret.database_url.arn
    REDIS_URL    = aws_secretsmanager_secret.redis_url.arn
  }
}

output "secret_arns" {
  description = "ARNs of every secret the server reads (for the task execution role)."
  value = [
    aws_secretsmanager_secret.jwt.arn,
    aws_secretsmanager_secret.database_url.arn,
    aws_secretsmanager_secret.redis_url.arn,
  ]
}

output "revision" {
  description = "Changes whenever a secret gets a new value; in the task definition it rolls the tasks onto it."
  value = sha1(join(",", [
    aws_secretsmanager_secret_version.jwt.version_id,
    aws_secretsmanager_secret_version.database_url.version_id,
    aws_secretsmanager_secret_version.redis_url.version_id,
  ]))
}
