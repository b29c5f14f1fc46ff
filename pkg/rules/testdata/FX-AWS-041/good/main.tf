resource "aws_s3_bucket" "site" {
  bucket = "internal.example.com"
}

# "*" restricted by a condition, a Deny with "*", and named principals.
resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = ["arn:aws:s3:::${aws_s3_bucket.site.bucket}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::${aws_s3_bucket.site.bucket}/*"
        Condition = { StringEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" } }
      },
      {
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::111122223333:role/deploy"] }
        Action    = ["s3:PutObject"]
        Resource  = "arn:aws:s3:::${aws_s3_bucket.site.bucket}/*"
      },
      {
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::${aws_s3_bucket.site.bucket}/*"
        Condition = { StringEquals = { "AWS:SourceArn" = "arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE" } }
      },
    ]
  })
}

data "aws_iam_policy_document" "assets" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::assets-bucket/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = "assets-bucket"
  policy = data.aws_iam_policy_document.assets.json
}

# A public document nobody uses as a bucket policy is not a bucket policy.
data "aws_iam_policy_document" "unused" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}

# Not JSON: the rule cannot tell, so it says nothing.
resource "aws_s3_bucket_policy" "broken" {
  bucket = "broken"
  policy = "{\"Statement\": [ {\"Effect\": \"Allow\", \"Principal\": \"*\""
}

# Unknown until apply, so not "*": a role ARN as the principal, a principal
# from a variable without a value, and "*" restricted by a condition on an
# endpoint id.
variable "reader_principal" {}

resource "aws_iam_role" "reader" {
  name = "reader"
}

resource "aws_vpc_endpoint" "s3" {
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_s3_bucket" "private" {
  bucket_prefix = "private-"
}

resource "aws_s3_bucket_policy" "private" {
  bucket = aws_s3_bucket.private.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.reader.arn }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.private.arn}/*"
      },
      {
        Effect    = "Allow"
        Principal = var.reader_principal
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.private.arn}/*"
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.private.arn}/*"
        Condition = { StringEquals = { "aws:SourceVpce" = aws_vpc_endpoint.s3.id } }
      },
    ]
  })
}
