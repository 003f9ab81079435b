# One security group per tier, created together so the tiers can name each other:
# internet -> ALB (443, 80 for the redirect) -> server tasks (4000) -> TimescaleDB (5432), Redis (6379).

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "FMS load balancer: HTTPS from anywhere"
  vpc_id      = var.vpc_id
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "FMS server tasks: traffic from the load balancer only"
  vpc_id      = var.vpc_id
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "FMS TimescaleDB instance: PostgreSQL from the server tasks only"
  vpc_id      = var.vpc_id
}

resource "aws_security_group" "cache" {
  name        = "${var.name}-cache"
  description = "FMS Redis (live bus): from the server tasks only"
  vpc_id      = var.vpc_id
}

# Open to everyone on purpose: devices post to the API hostname directly, not through CloudFront.
# The tasks trust the ALB's and CloudFront's addresses rather than a number of hops, so a client
# that skips CloudFront gains nothing (TRUST_PROXY, modules/service).
resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS (browsers, devices, CloudFront)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTP, redirected to HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_app" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the server tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = var.server_port
  to_port                      = var.server_port
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  description                  = "From the load balancer"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.server_port
  to_port                      = var.server_port
}

# ECR, Secrets Manager, CloudWatch Logs (through the NAT gateways), the database and Redis.
resource "aws_vpc_security_group_egress_rule" "app_all" {
  security_group_id = aws_security_group.app.id
  description       = "Outbound"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the server tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

# Package updates, the TimescaleDB image, SSM, Secrets Manager, S3 backups, CloudWatch Logs.
resource "aws_vpc_security_group_egress_rule" "db_all" {
  security_group_id = aws_security_group.db.id
  description       = "Outbound"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_app" {
  security_group_id            = aws_security_group.cache.id
  description                  = "Redis from the server tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}
