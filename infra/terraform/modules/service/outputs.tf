output "cluster_name" {
  description = "ECS cluster of the server."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service of the server."
  value       = aws_ecs_service.server.name
}

output "task_definition_arn" {
  description = "Current task definition of the server."
  value       = aws_ecs_task_definition.server.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the server."
  value       = aws_cloudwatch_log_group.server.name
}
