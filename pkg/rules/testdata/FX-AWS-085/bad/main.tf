variable "tag" {
  type    = string
  default = "2024-06-01"
}

resource "aws_ecr_repository" "api" {
  name                 = "team/api"
  image_tag_mutability = "MUTABLE"
}

resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([ # want FX-AWS-085
    {
      name  = "web"
      image = "nginx"
    },
    {
      name  = "sidecar"
      image = "public.ecr.aws/aws-observability/aws-otel-collector:latest"
    },
  ])
}

resource "aws_ecs_task_definition" "api" {
  count  = 2
  family = "api-${count.index}"
  container_definitions = jsonencode([{ # want FX-AWS-085
    name  = "api"
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:${var.tag}"
  }])
}

resource "aws_ecs_task_definition" "registry_port" {
  family = "registry-port"
  # want-below FX-AWS-085
  container_definitions = <<EOT
[{"name": "tool", "image": "registry.internal:5000/tools/tool:1.2"}]
EOT
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

# The app image waits for the repository URL; the sidecar's tag is known.
resource "aws_ecs_task_definition" "partly_known" {
  family = "partly-known"
  container_definitions = jsonencode([ # want FX-AWS-085
    {
      name  = "app"
      image = "${aws_ecr_repository.app.repository_url}:1.4.2"
    },
    {
      name  = "proxy"
      image = "envoyproxy/envoy:v1.30.2"
    },
  ])
}
