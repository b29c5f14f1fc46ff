variable "privileged" {
  type = bool
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    {
      name       = "web"
      image      = "nginx:1.27"
      privileged = false
    },
    {
      name  = "log"
      image = "fluent/fluent-bit:3.0"
    },
  ])
}

# Partly known: the image waits for the repository URL, the flag is read.
resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name       = "app"
    image      = "${aws_ecr_repository.app.repository_url}:1.0.0"
    privileged = false
  }])
}

resource "aws_ecs_task_definition" "unknown" {
  family = "unknown"
  container_definitions = jsonencode([{
    name       = "x"
    image      = "alpine:3.20"
    privileged = var.privileged
  }])
}

# "privileged" in a value is not the setting.
resource "aws_ecs_task_definition" "words" {
  family = "words"
  container_definitions = jsonencode([{
    name    = "privileged"
    image   = "alpine:3.20"
    command = ["echo", "privileged: true"]
  }])
}
