module "shared" {
  source = "../shared"
  name   = "from-root"
}
