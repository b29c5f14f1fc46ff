variable "read_only" {
  type = bool
}

resource "aws_ecs_task_definition" "web" {
  family = "web"
  container_definitions = jsonencode([
    {
      name                   = "web"
      image                  = "nginx:1.27"
      readonlyRootFilesystem = true
      mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp" }]
    },
    {
      name                   = "log-router"
      image                  = "fluent/fluent-bit:3.0"
      readonlyRootFilesystem = "true"
    },
  ])

  volume {
    name = "tmp"
  }
}

# Windows containers cannot have a read-only root filesystem.
resource "aws_ecs_task_definition" "windows" {
  family = "windows"

  runtime_platform {
    operating_system_family = "WINDOWS_SERVER_2022_CORE"
  }

  container_definitions = jsonencode([{
    name  = "iis"
    image = "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"
  }])
}

resource "aws_ecs_task_definition" "unknown" {
  family = "unknown"
  container_definitions = jsonencode([{
    name                   = "x"
    image                  = "alpine:3.20"
    readonlyRootFilesystem = var.read_only
  }])
}
