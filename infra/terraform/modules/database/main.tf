# TimescaleDB on one EC2 instance (RDS has no TimescaleDB). The data lives on a separate encrypted
# EBS volume with scheduled snapshots; the instance itself holds nothing that can't be rebuilt,
# so replacing it (new AMI, new type) reattaches the same volume. Never in an autoscaling group.

data "aws_ssm_parameter" "ami" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${var.architecture}"
}

data "aws_subnet" "this" {
  id = var.subnet_id
}

locals {
  snapshot_tag = "${var.name}-timescaledb"
  host         = "db.${var.name}.internal"
}

resource "random_password" "db" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "password" {
  name                    = "${var.name}/db-password"
  description             = "Password of the FMS database role (the instance reads it at boot)"
  recovery_window_in_days = var.secrets_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "password" {
  secret_id     = aws_secretsmanager_secret.password.id
  secret_string = random_password.db.result
}

resource "aws_cloudwatch_log_group" "timescaledb" {
  name              = "/${var.name}/timescaledb"
  retention_in_days = var.log_retention_days
}

resource "aws_ebs_volume" "data" {
  availability_zone = data.aws_subnet.this.availability_zone
  type              = "gp3"
  size              = var.volume_size_gb
  iops              = var.volume_iops
  throughput        = var.volume_throughput
  encrypted         = true
  kms_key_id        = var.kms_key_id

  tags = {
    Name           = "${var.name}-timescaledb-data"
    "fms:snapshot" = local.snapshot_tag
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_instance" "db" {
  ami                                  = data.aws_ssm_parameter.ami.insecure_value
  instance_type                        = var.instance_type
  subnet_id                            = var.subnet_id
  vpc_security_group_ids               = [var.security_group_id]
  iam_instance_profile                 = aws_iam_instance_profile.db.name
  ebs_optimized                        = true
  monitoring                           = true
  disable_api_termination              = var.deletion_protection
  instance_initiated_shutdown_behavior = "stop"

  user_data = templatefile("${path.module}/user-data.sh.tftpl", {
    region             = var.region
    volume_id          = aws_ebs_volume.data.id
    volume_device      = "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${replace(aws_ebs_volume.data.id, "-", "")}"
    dump_expected_size = var.volume_size_gb * 1073741824
    password_secret    = aws_secretsmanager_secret.password.arn
    timescaledb_image  = var.timescaledb_image
    database_name      = var.database_name
    database_user      = var.database_user
    max_connections    = var.max_connections
    log_group          = aws_cloudwatch_log_group.timescaledb.name
    backup_bucket      = aws_s3_bucket.backups.bucket
    dump_schedule      = var.dump_schedule
  })

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }

  maintenance_options {
    auto_recovery = "default"
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 30
    encrypted   = true
    kms_key_id  = var.kms_key_id
  }

  tags = {
    Name = "${var.name}-timescaledb"
  }

  # A new AMI or boot script must not replace the database host behind the operator's back:
  # replace it deliberately (docs/operations.md, "Upgrades").
  lifecycle {
    ignore_changes = [ami, user_data]

    precondition {
      condition     = can(regex("^[a-z]+[0-9]+g", var.instance_type)) == (var.architecture == "arm64")
      error_message = "architecture must match instance_type: arm64 for Graviton types (m7g, r7g, t4g, ...), x86_64 otherwise."
    }
  }
}

resource "aws_volume_attachment" "data" {
  device_name                    = "/dev/sdf"
  volume_id                      = aws_ebs_volume.data.id
  instance_id                    = aws_instance.db.id
  stop_instance_before_detaching = true
}

# A stable name for DATABASE_URL: the instance can be replaced without touching the secret.
resource "aws_route53_zone" "internal" {
  name    = "${var.name}.internal"
  comment = "Private names of the FMS deployment"

  vpc {
    vpc_id = var.vpc_id
  }
}

resource "aws_route53_record" "db" {
  zone_id = aws_route53_zone.internal.zone_id
  name    = local.host
  type    = "A"
  ttl     = 60
  records = [aws_instance.db.private_ip]
}

resource "aws_cloudwatch_metric_alarm" "status_check" {
  alarm_name          = "${var.name}-timescaledb-status-check"
  alarm_description   = "The TimescaleDB instance fails its status checks"
  namespace           = "AWS/EC2"
  metric_name         = "StatusCheckFailed"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = var.alarm_topic_arns
  ok_actions          = var.alarm_topic_arns

  dimensions = {
    InstanceId = aws_instance.db.id
  }
}
