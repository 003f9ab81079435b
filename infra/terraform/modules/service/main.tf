# The server on ECS Fargate: stateless tasks (state is in TimescaleDB and Redis) behind the ALB,
# at least two, spread over the AZs, scaled on CPU and memory. Rolling deployments keep 100 %
# of the desired tasks healthy and roll back by themselves when new tasks don't become healthy.

locals {
  environment = merge(var.environment, {
    NODE_ENV             = "production"
    HOST                 = "0.0.0.0"
    PORT                 = tostring(var.server_port)
    CORS_ORIGINS         = join(",", var.cors_origins)
    FMS_SECRETS_REVISION = var.secrets_revision
    # The client address (login throttling) from X-Forwarded-For. Two chains reach the tasks:
    # devices -> ALB -> task (the API hostname), and browsers -> CloudFront -> ALB -> task (the
    # app's /trpc, /api and /osmand). No hop count fits both: 1 would make every browser its
    # CloudFront edge, 2 would let anyone calling the ALB directly name any address. So the tasks
    # trust addresses, not hops: the ALB's subnets and CloudFront's origin-facing ranges. Walking
    # X-Forwarded-For from the right, the first address outside them is the client; each proxy
    # appends the address it saw (the ALB's "append" mode), so neither path can forge it.
    TRUST_PROXY = join(",", var.trusted_proxy_cidrs)
    # Idle keep-alive longer than the ALB's idle timeout, so the ALB never reuses a connection
    # the server is closing.
    HTTP_KEEPALIVE_TIMEOUT_SEC = tostring(var.keepalive_timeout_sec)
  })
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "server" {
  name              = "/${var.name}/server"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_task_definition" "server" {
  family                   = "${var.name}-server"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([{
    name      = "server"
    image     = var.image
    essential = true
    portMappings = [{
      name          = "http"
      containerPort = var.server_port
      protocol      = "tcp"
    }]
    environment = [for key in sort(keys(local.environment)) : { name = key, value = local.environment[key] }]
    secrets     = [for key in sort(keys(var.server_secrets)) : { name = key, valueFrom = var.server_secrets[key] }]
    stopTimeout = var.stop_timeout
    # Every WebSocket is a file descriptor.
    ulimits         = [{ name = "nofile", softLimit = 65535, hardLimit = 65535 }]
    linuxParameters = { initProcessEnabled = true }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.server.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "server"
      }
    }
  }])
}

resource "aws_ecs_service" "server" {
  name                               = "server"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.server.arn
  desired_count                      = var.min_tasks
  launch_type                        = "FARGATE"
  platform_version                   = "LATEST"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = var.health_check_grace_period
  enable_execute_command             = var.enable_execute_command
  propagate_tags                     = "SERVICE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = "server"
    container_port   = var.server_port
  }

  # Autoscaling owns the running count after the first apply.
  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "server" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.server.name}"
  min_capacity       = var.min_tasks
  max_capacity       = var.max_tasks

  lifecycle {
    precondition {
      condition     = var.max_tasks >= var.min_tasks
      error_message = "max_tasks must be at least min_tasks."
    }
  }
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.server.service_namespace
  resource_id        = aws_appautoscaling_target.server.resource_id
  scalable_dimension = aws_appautoscaling_target.server.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "memory" {
  name               = "${var.name}-memory"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.server.service_namespace
  resource_id        = aws_appautoscaling_target.server.resource_id
  scalable_dimension = aws_appautoscaling_target.server.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.memory_target
    scale_out_cooldown = 60
    scale_in_cooldown  = 300

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageMemoryUtilization"
    }
  }
}
