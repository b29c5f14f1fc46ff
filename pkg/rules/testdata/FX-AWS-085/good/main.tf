variable "image" {
  type = string
}

resource "aws_ecr_repository" "app" {
  name                 = "team/app"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_ecs_task_definition" "pinned" {
  family = "pinned"
  container_definitions = jsonencode([
    {
      name  = "web"
      image = "nginx@sha256:0f6b2e3d4c5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
    },
    {
      name  = "tagged-and-pinned"
      image = "registry.internal:5000/tools/tool:1.2@sha256:1f6b2e3d4c5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
    },
  ])
}

# Tags of an IMMUTABLE repository name one image forever.
resource "aws_ecs_task_definition" "immutable_repo" {
  family = "immutable-repo"
  container_definitions = jsonencode([{
    name  = "app"
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.4.2"
  }])
}

# Known only after apply.
resource "aws_ecs_task_definition" "from_repo" {
  family = "from-repo"
  container_definitions = jsonencode([{
    name  = "app"
    image = "${aws_ecr_repository.app.repository_url}:1.4.2"
  }])
}

resource "aws_ecs_task_definition" "from_var" {
  family = "from-var"
  container_definitions = jsonencode([{
    name  = "app"
    image = var.image
  }])
}
