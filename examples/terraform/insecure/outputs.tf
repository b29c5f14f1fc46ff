output "alb_dns_name" {
  description = "Public DNS name of the load balancer."
  value       = aws_lb.web.dns_name
}

output "bastion_public_ip" {
  description = "SSH to this address to reach the web servers."
  value       = aws_instance.bastion.public_ip
}

output "db_endpoint" {
  description = "Database endpoint."
  value       = aws_db_instance.main.endpoint
}

output "assets_url" {
  description = "Public URL prefix of the static assets."
  value       = "https://${aws_s3_bucket.assets.bucket_regional_domain_name}/"
}

output "ecr_repository_url" {
  description = "Where CI pushes the web image."
  value       = aws_ecr_repository.web.repository_url
}

output "jenkins_access_key_id" {
  description = "Access key of the Jenkins deploy user."
  value       = aws_iam_access_key.jenkins.id
}

output "jenkins_secret_access_key" {
  description = "Secret key of the Jenkins deploy user."
  value       = aws_iam_access_key.jenkins.secret
  sensitive   = true
}
