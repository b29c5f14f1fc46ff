package corpusgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

var serviceNames = []string{
	"checkout", "catalog", "payments", "search", "accounts", "orders", "inventory",
	"shipping", "notifications", "reviews", "recommendations", "pricing", "media",
	"auth", "gateway", "reporting", "billing", "loyalty", "returns", "support",
}

var components = []string{
	"api", "worker", "web", "admin", "batch", "cache", "events", "sync",
	"export", "ingest", "jobs", "scheduler", "frontend", "backend", "stream",
}

var themes = []string{"network", "compute", "storage", "iam", "data", "observability"}

var themeTitles = map[string]string{
	"network":       "Network resources",
	"compute":       "Servers and images",
	"storage":       "Buckets and file systems",
	"iam":           "IAM roles, policies and keys",
	"data":          "Databases, queues and parameters",
	"observability": "Logs and audit",
}

// service is one root module being generated.
type service struct {
	idx     int
	name    string // e.g. "checkout"
	dir     string // e.g. "checkout" or "checkout-21"
	rng     *rand.Rand
	stats   *Stats
	used    map[string]bool // shared modules called so far, over all services
	badRate float64         // share of resources with a bad setting

	seq         int
	themeCursor int
	fileSeq     map[string]int
	files       []string
	cur         *strings.Builder
}

func newService(i int, rng *rand.Rand, st *Stats, used map[string]bool) *service {
	name := serviceNames[i%len(serviceNames)]
	dir := name
	if i >= len(serviceNames) {
		dir = fmt.Sprintf("%s-%d", name, i)
	}
	return &service{
		idx:   i,
		name:  name,
		dir:   dir,
		rng:   rng,
		stats: st,
		used:  used,
		// Some teams are careful, some are not.
		badRate: 0.1 + 0.4*rng.Float64(),
		// Start each service on a different theme so small corpora still
		// see every kind of resource.
		themeCursor: i,
		fileSeq:     map[string]int{},
	}
}

// newName returns a resource name unique within the service.
func (s *service) newName() string {
	s.seq++
	return fmt.Sprintf("%s_%d", components[s.rng.IntN(len(components))], s.seq)
}

func (s *service) bad() bool { return s.rng.Float64() < s.badRate }

func (s *service) pick(xs []string) string { return xs[s.rng.IntN(len(xs))] }

// p appends formatted HCL to the current file.
func (s *service) p(format string, args ...any) {
	fmt.Fprintf(s.cur, format, args...)
}

// count records managed resource instances.
func (s *service) count(typ string, n int) {
	s.stats.Resources += n
	s.stats.ByType[typ] += n
}

// beginFile writes one resource file of the given theme holding exactly
// budget managed resource instances.
func (s *service) beginFile(theme string, budget int) {
	s.cur = &strings.Builder{}
	s.p("# %s of the %s service.\n\n", themeTitles[theme], s.name)
	if budget == 0 {
		// Nothing left for this file: keep it, as teams keep placeholders.
		s.p("locals {\n  %s_%02d_owner = \"team-%s\"\n}\n", theme, s.fileSeq[theme], s.name)
	}
	kinds := kindsByTheme[theme]
	for rem := budget; rem > 0; {
		n := 0
		start := s.rng.IntN(len(kinds))
		for i := 0; i < len(kinds) && n == 0; i++ {
			n = kinds[(start+i)%len(kinds)](s, rem)
		}
		if n == 0 {
			n = fallbackByTheme[theme](s, rem)
		}
		rem -= n
	}
	s.files = append(s.files, s.cur.String())
}

// callUnusedModules adds a switched-off call to every shared module no
// service has called, to the last file written.
func (s *service) callUnusedModules() {
	last := len(s.files) - 1
	s.cur = &strings.Builder{}
	s.cur.WriteString(s.files[last])
	for _, m := range sharedModules {
		if s.used[m.name] {
			continue
		}
		s.used[m.name] = true
		s.stats.ModuleCalls++
		s.p("\n# Switched off until the migration is finished.\nmodule %q {\n  source = \"../../modules/%s\"\n  count  = 0\n\n", s.newName(), m.name)
		s.p("%s}\n", m.minimalInputs)
	}
	s.files[last] = s.cur.String()
}

func (s *service) versionsTF() string {
	return fmt.Sprintf(`terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }

  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "services/%s/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
`, s.dir)
}

func (s *service) variablesTF() string {
	second := s.idx % 200
	adminCIDRs := `["10.0.0.0/8"]`
	if s.badRate > 0.4 {
		adminCIDRs = `["0.0.0.0/0"]`
	}
	hex := func(n int) string {
		const digits = "0123456789abcdef"
		b := make([]byte, n)
		for i := range b {
			b[i] = digits[s.rng.IntN(16)]
		}
		return string(b)
	}
	return fmt.Sprintf(`variable "environment" {
  description = "Deployment environment."
  type        = string
  default     = "production"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "eu-west-1"
}

variable "availability_zones" {
  description = "Zones to spread volumes and subnets over."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

variable "vpc_id" {
  description = "VPC of the shared network stack."
  type        = string
  default     = "vpc-%s"
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.%d.0.0/16"
}

variable "private_subnet_ids" {
  description = "Private subnets of the shared network stack."
  type        = list(string)
  default     = ["subnet-%s", "subnet-%s", "subnet-%s"]
}

variable "public_subnet_ids" {
  description = "Public subnets of the shared network stack."
  type        = list(string)
  default     = ["subnet-%s", "subnet-%s", "subnet-%s"]
}

variable "shared_security_group_id" {
  description = "Security group every instance of the service joins."
  type        = string
  default     = "sg-%s"
}

variable "ami_id" {
  description = "Baked AMI of the service."
  type        = string
  default     = "ami-%s"
}

variable "instance_type" {
  description = "Default instance type."
  type        = string
  default     = "t3.medium"
}

variable "kms_key_arn" {
  description = "KMS key of the service's data."
  type        = string
  default     = "arn:aws:kms:eu-west-1:123456789012:key/%s-%s-%s-%s-%s"
}

variable "log_bucket" {
  description = "Bucket that receives S3 access logs."
  type        = string
  default     = "acme-%s-access-logs"
}

variable "certificate_arn" {
  description = "ACM certificate of the service's load balancers."
  type        = string
  default     = "arn:aws:acm:eu-west-1:123456789012:certificate/%s-%s-%s-%s-%s"
}

variable "admin_cidrs" {
  description = "Networks allowed to reach admin ports."
  type        = list(string)
  default     = %s
}

locals {
  name       = "%s-${var.environment}"
  account_id = "123456789012"

  tags = {
    Service     = "%s"
    Environment = var.environment
    Owner       = "team-%s"
  }
}
`,
		hex(17), second,
		hex(17), hex(17), hex(17),
		hex(17), hex(17), hex(17),
		hex(17), hex(17),
		hex(8), hex(4), hex(4), hex(4), hex(12),
		s.dir,
		hex(8), hex(4), hex(4), hex(4), hex(12),
		adminCIDRs,
		s.dir, s.name, s.name)
}
