locals {
  base_tags = { Team = "sec", Env = "dev" }
  regions   = { us = "us-east-1", eu = "eu-west-1" }
}

resource "aws_iam_policy" "p" {
  name = format("%s-%03d", "policy", 7)
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "*"
    }]
  })
}

resource "aws_thing" "f" {
  tags        = merge(local.base_tags, { Env = "prod" })
  region      = lookup(local.regions, "eu", "none")
  fallback    = lookup(local.regions, "ap", "none")
  subnet      = cidrsubnet("10.0.0.0/16", 4, 15)
  subnets     = cidrsubnets("10.1.0.0/16", 4, 4, 8)
  host        = cidrhost("10.0.0.0/24", 5)
  netmask     = cidrnetmask("10.0.0.0/16")
  b64         = base64encode("hello")
  unb64       = base64decode("aGVsbG8=")
  md5         = md5("hello")
  sha256      = sha256("hello")
  tried       = try(local.regions.ap, "fallback")
  can         = can(local.regions.ap)
  to_set      = toset(["b", "a", "b"])
  to_number   = tonumber("42")
  one         = one(["x"])
  sum         = sum([1, 2, 3])
  alltrue     = alltrue([true, true])
  anytrue     = anytrue([false, true])
  starts      = startswith("arn:aws:s3", "arn:")
  contains    = strcontains("hello", "ell")
  replace_re  = replace("a-b_c", "/[-_]/", ".")
  index       = index(["a", "b"], "b")
  transpose   = transpose({ a = ["1", "2"], b = ["2"] })
  matchkeys   = matchkeys(["i-1", "i-2"], ["us", "eu"], ["eu"])
  uuid        = uuid()
  timestamp   = timestamp()
  file        = file("${path.module}/files/data.txt")
  missing     = file("${path.module}/files/missing.txt")
  outside     = file("/etc/hostname")
  exists      = fileexists("${path.module}/files/data.txt")
  template    = templatefile("${path.module}/files/t.tpl", { name = "world" })
  yaml        = yamldecode("a: 1\nb: [x, z]\n")
  yaml_out    = yamlencode({ a = 1 })
  length      = length("héllo")
  sensitive   = sensitive("secret")
  basename    = basename("/a/b/c.txt")
  element     = element(["a", "b", "c"], 4)
  flatten     = flatten([["a"], ["b", ["c"]]])
  regex       = regex("^arn:aws:([a-z0-9]+):", "arn:aws:s3:::b")
  formatdate  = formatdate("YYYY-MM-DD", "2024-01-02T03:04:05Z")
  setproduct  = setproduct(["a", "b"], [1, 2])
}
