resource "aws_sns_topic" "demo" {
  name = "demo"
}
