module "m" {
  source = "./mo\u0064"
  name   = "called"
}
