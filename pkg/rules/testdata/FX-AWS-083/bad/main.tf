variable "read_only" {
  type    = bool
  default = false
}

resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([ # want FX-AWS-083
    {
      name                   = "web"
      image                  = "nginx:1.27"
      readonlyRootFilesystem = true
    },
    {
      name  = "log-router"
      image = "fluent/fluent-bit:3.0"
    },
  ])
}

resource "aws_ecs_task_definition" "workers" {
  count  = 2
  family = "worker-${count.index}"
  container_definitions = jsonencode([{ # want FX-AWS-083
    name                   = "worker"
    image                  = "app/worker:1.0"
    readonlyRootFilesystem = var.read_only
  }])
}

resource "aws_ecs_task_definition" "linux" {
  family = "linux"

  runtime_platform {
    operating_system_family = "LINUX"
  }

  # want-below FX-AWS-083
  container_definitions = <<EOT
[{"name": "api", "image": "app/api:1.0", "readonlyRootFilesystem": false}]
EOT
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecs_task_definition" "partly_known" {
  family = "partly-known"
  container_definitions = jsonencode([{ # want FX-AWS-083
    name  = "app"
    image = "${aws_ecr_repository.app.repository_url}:1.0.0"
  }])
}
