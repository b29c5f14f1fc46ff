resource "aws_s3_bucket" "site" {
  bucket = "www.example.com"
}

# jsonencode, Principal "*", resource built from the bucket's known name.
resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({ # want FX-AWS-041
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecure"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = ["arn:aws:s3:::${aws_s3_bucket.site.bucket}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "PublicRead"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:GetObject"]
        Resource  = ["arn:aws:s3:::${aws_s3_bucket.site.bucket}/*"]
      },
      {
        Sid       = "PublicList"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = "s3:ListBucket"
        Resource  = "arn:aws:s3:::${aws_s3_bucket.site.bucket}"
      },
    ]
  })
}

# Heredoc on the bucket's own (legacy) policy attribute, {"AWS": ["*"]}.
resource "aws_s3_bucket" "legacy" {
  bucket = "legacy-downloads"
  policy = /* # want FX-AWS-041 */ <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {"AWS": ["*"]},
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::legacy-downloads/*"
    }
  ]
}
EOF
}

# NotPrincipal with Allow: everyone but the named account.
resource "aws_s3_bucket_policy" "not_principal" {
  bucket = "shared-drop"
  policy = "{\"Statement\":[{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::shared-drop/*\"}]}" # want FX-AWS-041
}

# A policy document data source: the finding is on its statement block.
resource "aws_s3_bucket" "assets" {
  bucket = "assets-bucket"
}

data "aws_iam_policy_document" "assets" {
  statement {
    sid       = "OrgOnly"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.assets.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }

  statement { # want FX-AWS-041
    sid       = "Everyone"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.assets.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id
  policy = data.aws_iam_policy_document.assets.json
}

# A variable default and count.
variable "public_policy" {
  default = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}"
}

resource "aws_s3_bucket_policy" "counted" {
  count  = 2
  bucket = "counted-${count.index}"
  policy = var.public_policy # want FX-AWS-041
}

# jsonencode whose JSON is unknown until apply (the Resource is the bucket's
# ARN): the encoded value is still read, Principal "*" and all.
resource "aws_s3_bucket" "b" {
  bucket_prefix = "uploads-"
}

resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({ # want FX-AWS-041
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.b.arn}/*"
    }]
  })
}
