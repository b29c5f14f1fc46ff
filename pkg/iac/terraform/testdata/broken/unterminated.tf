resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets"
  acl    = "public-read
}

resource "aws_s3_bucket" "after" {
  bucket = "after"
}
