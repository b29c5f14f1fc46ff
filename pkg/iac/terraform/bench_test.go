package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree generates a synthetic Terraform tree: dirs root modules of
// files files with perFile resources each, every root calling a shared
// local module twice through count, with locals, variables, cross-resource
// references and dynamic blocks.
func writeTree(tb testing.TB, root string, dirs, files, perFile int) {
	tb.Helper()
	write := func(rel, src string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	write("modules/net/main.tf", `variable "name" {}
variable "cidr" { default = "10.0.0.0/16" }
resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}
resource "aws_subnet" "s" {
  count      = 3
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}
output "vpc_id" { value = aws_vpc.this.id }
output "subnets" { value = aws_subnet.s[*].cidr_block }
`)
	for d := 0; d < dirs; d++ {
		dir := fmt.Sprintf("svc%03d", d)
		write(dir+"/variables.tf", fmt.Sprintf(`variable "env" { default = "prod" }
variable "ports" {
  type    = list(number)
  default = [22, 80, 443]
}
locals {
  name = "${var.env}-svc%03d"
  tags = merge({ Env = var.env }, { Name = local.name })
}
module "net" {
  source = "../modules/net"
  count  = 2
  name   = "${local.name}-${count.index}"
}
`, d))
		for f := 0; f < files-1; f++ {
			var b strings.Builder
			for r := 0; r < perFile; r++ {
				n := fmt.Sprintf("r%02d_%02d", f, r)
				switch r % 3 {
				case 0:
					fmt.Fprintf(&b, `resource "aws_security_group" %q {
  name   = "${local.name}-%s"
  vpc_id = module.net[0].vpc_id
  tags   = local.tags
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
`, n, n)
				case 1:
					fmt.Fprintf(&b, `resource "aws_s3_bucket" %q {
  bucket = format("%%s-%%s", local.name, %q)
  tags   = local.tags
}
`, n, n)
				default:
					fmt.Fprintf(&b, `resource "aws_s3_bucket_versioning" %q {
  bucket = aws_s3_bucket.r%02d_%02d.bucket
  versioning_configuration {
    status = var.env == "prod" ? "Enabled" : "Suspended"
  }
}
`, n, f, r-1)
				}
			}
			write(fmt.Sprintf("%s/file%02d.tf", dir, f), b.String())
		}
	}
}

// BenchmarkLoad loads 2,001 files holding 20,900 resources (plus 800
// module resources) across 100 root modules.
func BenchmarkLoad(b *testing.B) {
	root := b.TempDir()
	writeTree(b, root, 100, 20, 11)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := Load(ctx, root, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(st.Errors) > 0 {
			b.Fatalf("errors: %v", st.Errors[:1])
		}
		if len(st.Resources) < 20000 {
			b.Fatalf("%d resources", len(st.Resources))
		}
	}
}

func TestSyntheticTree(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, 3, 4, 6)
	st := load(t, root, Options{})
	if len(st.Errors) > 0 {
		t.Fatalf("errors: %v", st.Errors)
	}
	// 3 dirs x 3 resource files x 6 resources, plus 2 module instances x 4 resources per dir.
	if got, want := len(st.Resources), 3*3*6+3*2*4; got != want {
		t.Errorf("%d resources, want %d", got, want)
	}
	r := findResource(st, "aws_s3_bucket_versioning.r00_02")
	if r == nil {
		t.Fatal("no aws_s3_bucket_versioning.r00_02")
	}
	if v, _ := r.Attr("bucket").String(); v != "prod-svc000-r00_01" {
		t.Errorf("bucket = %q", v)
	}
	if got := r.Attr("bucket").Refs; len(got) != 1 || got[0] != "aws_s3_bucket.r00_01" {
		t.Errorf("refs %q", got)
	}
}
