variable "privileged" {
  type    = bool
  default = true
}

resource "aws_ecs_task_definition" "agent" {
  family = "agent"
  container_definitions = jsonencode([ # want FX-AWS-082
    {
      name       = "agent"
      image      = "datadog/agent@sha256:0f6b2e3d4c5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
      essential  = true
      privileged = true
    },
    {
      name      = "sidecar"
      image     = "busybox@sha256:1f6b2e3d4c5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
      essential = false
    },
  ])
}

resource "aws_ecs_task_definition" "per_env" {
  count  = 2
  family = "debug-${count.index}"
  container_definitions = jsonencode([{ # want FX-AWS-082
    name       = "debug"
    image      = "alpine:3.20"
    privileged = var.privileged
  }])
}

resource "aws_ecs_task_definition" "legacy" {
  family = "legacy"
  # want-below FX-AWS-082
  container_definitions = <<EOT
[
  {
    "name": "legacy",
    "image": "legacy/app:2.1",
    "essential": true,
    "privileged": true
  }
]
EOT
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

# The image is known only after apply; the flag is not.
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{ # want FX-AWS-082
    name       = "app"
    image      = "${aws_ecr_repository.app.repository_url}:1.0.0"
    privileged = true
  }])
}
