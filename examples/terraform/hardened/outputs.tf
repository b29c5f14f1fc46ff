output "alb_dns_name" {
  description = "DNS name of the load balancer; point the shop's CNAME here."
  value       = aws_lb.web.dns_name
}

output "autoscaling_group_name" {
  description = "Group the deploy pipeline starts instance refreshes on."
  value       = aws_autoscaling_group.web.name
}

output "launch_template_id" {
  description = "Launch template the deploy pipeline adds versions to."
  value       = aws_launch_template.web.id
}

output "deploy_role_arn" {
  description = "Role the deploy pipeline assumes through OIDC."
  value       = aws_iam_role.deploy.arn
}

output "artifacts_bucket" {
  description = "Bucket for release bundles."
  value       = aws_s3_bucket.artifacts.bucket
}

output "ecr_repository_url" {
  description = "Where the pipeline pushes the web image."
  value       = aws_ecr_repository.web.repository_url
}

output "db_endpoint" {
  description = "Database endpoint, reachable from the web servers only."
  value       = aws_db_instance.main.endpoint
}

output "db_master_user_secret_arn" {
  description = "Secrets Manager secret holding the master credentials, rotated by RDS."
  value       = aws_db_instance.main.master_user_secret[0].secret_arn
}
