output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "availability_zones" {
  description = "The availability zones the subnets are in."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnets, one per AZ (ALB, NAT gateways)."
  value       = aws_subnet.public[*].id
}

output "public_subnet_cidrs" {
  description = "Address ranges of the public subnets: the ALB's nodes, which connect to the tasks, have their addresses here."
  value       = aws_subnet.public[*].cidr_block
}

output "private_subnet_ids" {
  description = "Private subnets, one per AZ (server tasks, database, Redis)."
  value       = aws_subnet.private[*].id
}

output "private_route_table_ids" {
  description = "Route tables of the private subnets."
  value       = aws_route_table.private[*].id
}

output "nat_public_ips" {
  description = "Public addresses the private subnets reach the internet from (allowlist them at an external database)."
  value       = aws_eip.nat[*].public_ip
}
