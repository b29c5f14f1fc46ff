resource "aws_sns_topic" "not_a_module" {
  name = "still a root"
}
