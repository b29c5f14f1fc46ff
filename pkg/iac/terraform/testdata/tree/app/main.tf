module "x" {
  source = "../modules/x"
  name   = "app"
}
