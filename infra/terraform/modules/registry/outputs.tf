output "repository_url" {
  description = "ECR repository of the server image (tag it with the release version)."
  value       = aws_ecr_repository.server.repository_url
}

output "repository_arn" {
  description = "ARN of the ECR repository."
  value       = aws_ecr_repository.server.arn
}

output "ci_role_arn" {
  description = "Role for the release workflow (repository variable AWS_RELEASE_ROLE_ARN); empty without github_repository."
  value       = local.has_ci_role ? aws_iam_role.ci[0].arn : ""
}
