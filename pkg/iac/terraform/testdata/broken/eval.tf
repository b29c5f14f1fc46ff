resource "aws_s3_bucket" "evalerr" {
  bucket = "a" + 1
  other  = "still evaluated"
}
