package corpusgen

import (
	"fmt"
	"slices"
	"strings"
)

// A kind writes one group of related resources into the current file and
// returns how many managed resource instances it declared, never more than
// rem. It returns 0, writing nothing, when it cannot fit.
type kind func(s *service, rem int) int

var kindsByTheme = map[string][]kind{
	"network":       {sgInline, sgRuleCount, ingressRuleForEach, sgModule, subnetCount, lbSet},
	"compute":       {launchTemplate, asgPair, instance, ebsCount, asgModule, ecrForEach},
	"storage":       {s3Set, s3Set, s3ForEach, s3Module, efs},
	"iam":           {iamPolicyJSON, iamRoleAttach, policyDoc, iamUser, kmsKey},
	"data":          {rds, dynamodb, ssmForEach, sqs},
	"observability": {logGroup, cloudtrail, flowLog, snsTopic},
}

// fallbackByTheme always fits a budget of one.
var fallbackByTheme = map[string]kind{
	"network":       sgInline,
	"compute":       launchTemplate,
	"storage":       s3Set,
	"iam":           iamPolicyJSON,
	"data":          dynamodb,
	"observability": logGroup,
}

// upTo picks a size between 1 and max, not above rem.
func (s *service) upTo(max, rem int) int {
	return 1 + s.rng.IntN(min(max, rem))
}

func (s *service) tags(name string) string {
	return fmt.Sprintf(`merge(local.tags, { Name = "${local.name}-%s" })`, strings.ReplaceAll(name, "_", "-"))
}

var (
	appPorts   = []int{443, 8443, 8080, 9090, 3000, 8000, 8081, 9443}
	adminPorts = []int{22, 3389, 5985}
	dbPorts    = []int{5432, 3306, 6379, 27017, 9200, 1433, 11211}
)

// ---------------------------------------------------------------------------
// network

func sgInline(s *service, rem int) int {
	n := s.newName()
	type rule struct {
		desc, cidrs string
		port        int
	}
	rules := []rule{{"HTTPS from the load balancers", "[var.vpc_cidr]", 443}}
	if s.bad() {
		switch s.rng.IntN(3) {
		case 0:
			rules = append(rules, rule{"SSH for debugging", `["0.0.0.0/0"]`, 22})
		case 1:
			rules = append(rules, rule{"Database for the reporting tool", `["0.0.0.0/0"]`, s.pick2(dbPorts)})
		default:
			rules = append(rules, rule{"Admin", "var.admin_cidrs", s.pick2(adminPorts)})
		}
	} else {
		rules = append(rules, rule{"Metrics scraping", "[var.vpc_cidr]", 9100})
	}
	s.p("locals {\n  %s_ingress = [\n", n)
	for _, r := range rules {
		s.p("    { description = %q, port = %d, cidrs = %s },\n", r.desc, r.port, r.cidrs)
	}
	s.p("  ]\n}\n\n")
	s.p("resource \"aws_security_group\" %q {\n  name   = \"${local.name}-%s\"\n", n, n)
	if !s.bad() {
		s.p("  description = \"%s tier of %s\"\n", n, s.name)
	}
	s.p(`  vpc_id = var.vpc_id

  dynamic "ingress" {
    for_each = local.%s_ingress
    content {
      description = ingress.value.description
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidrs
    }
  }

  egress {
    description = "HTTPS out"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = %s
}

`, n, s.tags(n))
	s.count("aws_security_group", 1)
	return 1
}

func (s *service) pick2(xs []int) int { return xs[s.rng.IntN(len(xs))] }

func sgRuleCount(s *service, rem int) int {
	k := s.upTo(6, rem)
	n := s.newName()
	ports := make([]string, k)
	for i := range ports {
		ports[i] = fmt.Sprint(appPorts[(i+s.seq)%len(appPorts)] + 10*(i/len(appPorts)))
	}
	cidr := "[var.vpc_cidr]"
	if s.bad() {
		ports[0] = fmt.Sprint(s.pick2(slices.Concat(adminPorts, dbPorts)))
		cidr = `["0.0.0.0/0"]`
	}
	s.p(`locals {
  %s_ports = [%s]
}

resource "aws_security_group_rule" %q {
  count = length(local.%s_ports)

  type              = "ingress"
  description       = "Port ${local.%s_ports[count.index]} of the %s tier"
  from_port         = local.%s_ports[count.index]
  to_port           = local.%s_ports[count.index]
  protocol          = "tcp"
  cidr_blocks       = %s
  security_group_id = var.shared_security_group_id
}

`, n, strings.Join(ports, ", "), n, n, n, n, n, n, cidr)
	s.count("aws_security_group_rule", k)
	return k
}

func ingressRuleForEach(s *service, rem int) int {
	k := s.upTo(5, rem)
	n := s.newName()
	s.p("resource \"aws_vpc_security_group_ingress_rule\" %q {\n  for_each = {\n", n)
	for i := range k {
		port, cidr := appPorts[(i+s.seq)%len(appPorts)]+10*(i/len(appPorts)), "10.0.0.0/8"
		if i == 0 && s.bad() {
			port, cidr = s.pick2(adminPorts), "0.0.0.0/0"
		}
		s.p("    \"tcp-%d\" = { port = %d, cidr = %q }\n", port, port, cidr)
	}
	s.p(`  }

  security_group_id = var.shared_security_group_id
  description       = "${each.key} for the %s tier"
  cidr_ipv4         = each.value.cidr
  from_port         = each.value.port
  to_port           = each.value.port
  ip_protocol       = "tcp"
}

`, n)
	s.count("aws_vpc_security_group_ingress_rule", k)
	return k
}

var tiers = []string{"api", "admin", "internal", "partner", "metrics", "ops"}

func sgModule(s *service, rem int) int {
	k := s.upTo(4, rem)
	n := s.newName()
	s.used["security_group"] = true
	s.stats.ModuleCalls++
	s.p("module %q {\n  source = \"../../modules/security_group\"\n  for_each = {\n", n)
	for i := range k {
		tier := tiers[i%len(tiers)]
		if i >= len(tiers) {
			tier = fmt.Sprintf("%s%d", tier, i)
		}
		ports, cidrs := "[443, 8443]", "[var.vpc_cidr]"
		if tier == "admin" {
			ports, cidrs = "[22]", "var.admin_cidrs"
		} else if s.bad() {
			ports, cidrs = fmt.Sprintf("[443, %d]", s.pick2(dbPorts)), `["0.0.0.0/0"]`
		}
		s.p("    %s = { description = \"%s access to %s\", ports = %s, cidrs = %s }\n", tier, tier, s.name, ports, cidrs)
	}
	s.p(`  }

  name          = "${local.name}-%s-${each.key}"
  description   = each.value.description
  vpc_id        = var.vpc_id
  ingress_ports = each.value.ports
  ingress_cidrs = each.value.cidrs
  tags          = local.tags
}

`, strings.ReplaceAll(n, "_", "-"))
	s.count("aws_security_group", k)
	return k
}

func subnetCount(s *service, rem int) int {
	k := s.upTo(3, rem)
	n := s.newName()
	public := s.bad()
	s.p(`resource "aws_subnet" %q {
  count = %d

  vpc_id                  = var.vpc_id
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, %d + count.index)
  availability_zone       = var.availability_zones[count.index %% length(var.availability_zones)]
  map_public_ip_on_launch = %t

  tags = merge(local.tags, { Name = "${local.name}-%s-${count.index}" })
}

`, n, k, (s.seq*3)%240, public, n)
	s.count("aws_subnet", k)
	return k
}

// lbSet is a load balancer with its target group and listeners: 2 to 4
// resources.
func lbSet(s *service, rem int) int {
	if rem < 2 {
		return 0
	}
	size := 2 + s.rng.IntN(min(3, rem-1))
	n := s.newName()
	s.p(`resource "aws_lb" %q {
  name               = "${local.name}-%d"
  load_balancer_type = "application"
  internal           = %t
  security_groups    = [var.shared_security_group_id]
  subnets            = var.public_subnet_ids
`, n, s.seq, s.rng.IntN(2) == 0)
	if !s.bad() {
		s.p("  drop_invalid_header_fields = true\n")
	}
	s.p("  tags = %s\n}\n\n", s.tags(n))
	s.p(`resource "aws_lb_target_group" %q {
  name     = "${local.name}-%d"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id

  health_check {
    path = "/healthz"
  }
}

`, n, s.seq)
	if size >= 3 {
		policy := "ELBSecurityPolicy-TLS13-1-2-2021-06"
		if s.bad() {
			policy = s.pick([]string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-1-2017-01"})
		}
		s.p(`resource "aws_lb_listener" "%s_https" {
  load_balancer_arn = aws_lb.%s.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = %q
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.%s.arn
  }
}

`, n, n, policy, n)
	}
	if size == 4 {
		s.p("resource \"aws_lb_listener\" \"%s_http\" {\n  load_balancer_arn = aws_lb.%s.arn\n  port = 80\n  protocol = \"HTTP\"\n\n", n, n)
		if s.bad() {
			s.p("  default_action {\n    type = \"forward\"\n    target_group_arn = aws_lb_target_group.%s.arn\n  }\n}\n\n", n)
		} else {
			s.p("  default_action {\n    type = \"redirect\"\n\n    redirect {\n      port = \"443\"\n      protocol = \"HTTPS\"\n      status_code = \"HTTP_301\"\n    }\n  }\n}\n\n")
		}
	}
	s.count("aws_lb", 1)
	s.count("aws_lb_target_group", 1)
	s.count("aws_lb_listener", size-2)
	return size
}

// ---------------------------------------------------------------------------
// compute

// userData is a boot script: cloud-config for a baked image, or one of the
// usual mistakes.
func (s *service) userData() string {
	if !s.bad() {
		return `#cloud-config
    write_files:
      - path: /etc/` + s.name + `/environment
        content: |
          APP_ENV=${var.environment}
          APP_REGION=${var.region}
    runcmd:
      - [systemctl, start, ` + s.name + `.service]`
	}
	switch s.rng.IntN(4) {
	case 0:
		return "#!/bin/bash\n    export AWS_ACCESS_KEY_ID=" + s.accessKeyID() + "\n    export AWS_SECRET_ACCESS_KEY=" + s.secretKey() +
			"\n    aws s3 sync s3://acme-" + s.name + "-releases/current /opt/" + s.name + "\n    systemctl start " + s.name
	case 1:
		return "#!/bin/bash\n    curl -fsSL https://omnitruck.chef.io/install.sh | bash\n    chef-client --runlist 'role[" + s.name + "]'"
	case 2:
		return "#!/bin/bash\n    apt-get install -y puppet-agent\n    /opt/puppetlabs/bin/puppet agent --server puppet.ops.acme.internal --onetime --no-daemonize"
	default:
		return "#!/bin/bash\n    echo 'DATABASE_PASSWORD=" + s.secretKey()[:20] + "' >> /etc/" + s.name + "/environment\n    systemctl start " + s.name
	}
}

const keyChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

func (s *service) accessKeyID() string {
	b := []byte("AKIA")
	for range 16 {
		b = append(b, keyChars[s.rng.IntN(len(keyChars))])
	}
	return string(b)
}

func (s *service) secretKey() string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+"
	b := make([]byte, 40)
	for i := range b {
		b[i] = chars[s.rng.IntN(len(chars))]
	}
	return string(b)
}

func (s *service) launchTemplateBody(n string) {
	s.p(`resource "aws_launch_template" %q {
  name_prefix   = "${local.name}-%s-"
  image_id      = var.ami_id
  instance_type = var.instance_type
`, n, strings.ReplaceAll(n, "_", "-"))
	if s.bad() {
		s.p("  key_name = \"%s-ops\"\n", s.name)
	}
	s.p(`
  network_interfaces {
    associate_public_ip_address = %t
    security_groups             = [var.shared_security_group_id]
  }
`, s.bad())
	switch {
	case !s.bad():
		s.p("\n  metadata_options {\n    http_endpoint = \"enabled\"\n    http_tokens = \"required\"\n  }\n")
	case s.rng.IntN(2) == 0:
		s.p("\n  metadata_options {\n    http_endpoint = \"enabled\"\n    http_tokens = \"optional\"\n  }\n")
	}
	s.p(`
  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size = %d
      volume_type = "gp3"
      encrypted   = %t
    }
  }

  user_data = base64encode(<<-EOT
    %s
  EOT
  )

  tag_specifications {
    resource_type = "instance"
    tags          = %s
  }
`, 20+10*s.rng.IntN(5), !s.bad(), s.userData(), s.tags(n))
	if s.bad() {
		s.p("\n  lifecycle {\n    ignore_changes = [image_id, user_data]\n  }\n}\n\n")
	} else {
		s.p("\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n\n")
	}
}

func launchTemplate(s *service, rem int) int {
	s.launchTemplateBody(s.newName())
	s.count("aws_launch_template", 1)
	return 1
}

func asgPair(s *service, rem int) int {
	if rem < 2 {
		return 0
	}
	n := s.newName()
	s.launchTemplateBody(n)
	s.p(`resource "aws_autoscaling_group" %q {
  name                = "${local.name}-%s"
  min_size            = 2
  max_size            = %d
  vpc_zone_identifier = var.private_subnet_ids
  health_check_type   = "ELB"
`, n, strings.ReplaceAll(n, "_", "-"), 4+2*s.rng.IntN(4))
	if !s.bad() {
		s.p("  max_instance_lifetime = %d\n", 86400*(1+s.rng.IntN(14)))
	}
	s.p(`
  launch_template {
    id      = aws_launch_template.%s.id
    version = aws_launch_template.%s.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
  }

  tag {
    key                 = "Name"
    value               = "${local.name}-%s"
    propagate_at_launch = true
  }
}

`, n, n, strings.ReplaceAll(n, "_", "-"))
	s.count("aws_launch_template", 1)
	s.count("aws_autoscaling_group", 1)
	return 2
}

func instance(s *service, rem int) int {
	n := s.newName()
	s.p(`resource "aws_instance" %q {
  ami                    = var.ami_id
  instance_type          = "t3.small"
  subnet_id              = var.private_subnet_ids[0]
  vpc_security_group_ids = [var.shared_security_group_id]
`, n)
	if s.bad() {
		s.p("  key_name = \"%s-ops\"\n  associate_public_ip_address = true\n", s.name)
	} else {
		s.p("\n  metadata_options {\n    http_tokens = \"required\"\n  }\n")
	}
	s.p("\n  root_block_device {\n    volume_size = 20\n    encrypted = %t\n  }\n\n  tags = %s\n}\n\n", !s.bad(), s.tags(n))
	s.count("aws_instance", 1)
	return 1
}

func ebsCount(s *service, rem int) int {
	k := s.upTo(4, rem)
	n := s.newName()
	s.p(`resource "aws_ebs_volume" %q {
  count = %d

  availability_zone = var.availability_zones[count.index %% length(var.availability_zones)]
  size              = %d
  type              = "gp3"
`, n, k, 50*(1+s.rng.IntN(8)))
	if !s.bad() {
		s.p("  encrypted = true\n  kms_key_id = var.kms_key_arn\n")
	}
	s.p("\n  tags = merge(local.tags, { Name = \"${local.name}-%s-${count.index}\" })\n}\n\n", n)
	s.count("aws_ebs_volume", k)
	return k
}

func asgModule(s *service, rem int) int {
	perInstance := 2
	withPolicy := s.rng.IntN(2) == 0
	if withPolicy {
		perInstance = 3
	}
	if rem < perInstance {
		return 0
	}
	k := s.upTo(3, rem/perInstance)
	n := s.newName()
	s.used["web_asg"] = true
	s.stats.ModuleCalls++
	keys := []string{`"blue"`, `"green"`, `"canary"`}[:k]
	s.p(`module %q {
  source   = "../../modules/web_asg"
  for_each = toset([%s])

  name               = "${local.name}-%s-${each.key}"
  ami_id             = var.ami_id
  instance_type      = var.instance_type
  subnet_ids         = var.private_subnet_ids
  security_group_ids = [var.shared_security_group_id]
  tags               = local.tags
`, n, strings.Join(keys, ", "), strings.ReplaceAll(n, "_", "-"))
	if s.bad() {
		s.p("  require_imdsv2 = false\n  key_name = \"%s-ops\"\n", s.name)
	} else {
		s.p("  max_instance_lifetime = 604800\n")
	}
	s.p("  volumes = [{ device_name = \"/dev/xvda\", size = 30, encrypted = %t }]\n", !s.bad())
	if withPolicy {
		s.p("  target_cpu = 55\n")
	}
	s.p("}\n\n")
	s.count("aws_launch_template", k)
	s.count("aws_autoscaling_group", k)
	if withPolicy {
		s.count("aws_autoscaling_policy", k)
	}
	return k * perInstance
}

var repoNames = []string{"app", "migrations", "worker", "nginx", "sidecar", "cron"}

func ecrForEach(s *service, rem int) int {
	k := s.upTo(len(repoNames), rem)
	n := s.newName()
	names := make([]string, k)
	for i := range names {
		names[i] = fmt.Sprintf("%q", repoNames[(i+s.seq)%len(repoNames)])
	}
	mut, scan := "IMMUTABLE", true
	if s.bad() {
		mut, scan = s.pick([]string{"MUTABLE", "IMMUTABLE"}), s.rng.IntN(2) == 0
	}
	s.p(`resource "aws_ecr_repository" %q {
  for_each = toset([%s])

  name                 = "%s/%s/${each.key}"
  image_tag_mutability = %q

  image_scanning_configuration {
    scan_on_push = %t
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

`, n, strings.Join(names, ", "), s.dir, strings.ReplaceAll(n, "_", "-"), mut, scan)
	s.count("aws_ecr_repository", k)
	return k
}

// ---------------------------------------------------------------------------
// storage

// s3Set is a bucket and, in order, as many of its companions as fit: public
// access block, encryption, versioning, logging, policy.
func s3Set(s *service, rem int) int {
	size := s.upTo(6, rem)
	n := s.newName()
	b := strings.ReplaceAll(n, "_", "-")
	s.p("resource \"aws_s3_bucket\" %q {\n  bucket = \"acme-${local.name}-%s\"\n  tags = %s\n}\n\n", n, b, s.tags(n))
	s.count("aws_s3_bucket", 1)
	if size >= 2 {
		v := !s.bad()
		s.p(`resource "aws_s3_bucket_public_access_block" %q {
  bucket = aws_s3_bucket.%s.id

  block_public_acls       = %t
  block_public_policy     = %t
  ignore_public_acls      = true
  restrict_public_buckets = %t
}

`, n, n, v, v || s.rng.IntN(2) == 0, v)
		s.count("aws_s3_bucket_public_access_block", 1)
	}
	if size >= 3 {
		algo := `sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn`
		if s.rng.IntN(3) == 0 {
			algo = `sse_algorithm = "AES256"`
		}
		s.p(`resource "aws_s3_bucket_server_side_encryption_configuration" %q {
  bucket = aws_s3_bucket.%s.id

  rule {
    apply_server_side_encryption_by_default {
      %s
    }
  }
}

`, n, n, algo)
		s.count("aws_s3_bucket_server_side_encryption_configuration", 1)
	}
	if size >= 4 {
		status := "Enabled"
		if s.bad() {
			status = "Suspended"
		}
		s.p("resource \"aws_s3_bucket_versioning\" %q {\n  bucket = aws_s3_bucket.%s.id\n\n  versioning_configuration {\n    status = %q\n  }\n}\n\n", n, n, status)
		s.count("aws_s3_bucket_versioning", 1)
	}
	if size >= 5 {
		s.p("resource \"aws_s3_bucket_logging\" %q {\n  bucket = aws_s3_bucket.%s.id\n  target_bucket = var.log_bucket\n  target_prefix = \"%s/\"\n}\n\n", n, n, b)
		s.count("aws_s3_bucket_logging", 1)
	}
	if size >= 6 {
		if s.bad() {
			s.p(`resource "aws_s3_bucket_policy" %q {
  bucket = aws_s3_bucket.%s.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.%s.arn}/*"
    }]
  })
}

`, n, n, n)
		} else {
			s.p(`resource "aws_s3_bucket_policy" %q {
  bucket = aws_s3_bucket.%s.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.%s.arn, "${aws_s3_bucket.%s.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

`, n, n, n, n)
		}
		s.count("aws_s3_bucket_policy", 1)
	}
	return size
}

var bucketRoles = []string{"raw", "curated", "exports", "backups", "uploads", "reports"}

// s3ForEach is a family of buckets declared with for_each, each with the
// same companions.
func s3ForEach(s *service, rem int) int {
	companions := s.rng.IntN(4) // public access block, encryption, versioning
	per := 1 + companions
	if rem < per {
		return 0
	}
	k := s.upTo(len(bucketRoles), rem/per)
	n := s.newName()
	roles := make([]string, k)
	for i := range roles {
		roles[i] = fmt.Sprintf("%q", bucketRoles[i])
	}
	s.p(`locals {
  %s_buckets = toset([%s])
}

resource "aws_s3_bucket" %q {
  for_each = local.%s_buckets

  bucket = "acme-${local.name}-%s-${each.key}"
  tags   = local.tags
}

`, n, strings.Join(roles, ", "), n, n, strings.ReplaceAll(n, "_", "-"))
	s.count("aws_s3_bucket", k)
	if companions >= 1 {
		s.p(`resource "aws_s3_bucket_public_access_block" %q {
  for_each = local.%s_buckets

  bucket                  = aws_s3_bucket.%s[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

`, n, n, n)
		s.count("aws_s3_bucket_public_access_block", k)
	}
	if companions >= 2 {
		s.p(`resource "aws_s3_bucket_server_side_encryption_configuration" %q {
  for_each = local.%s_buckets

  bucket = aws_s3_bucket.%s[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

`, n, n, n)
		s.count("aws_s3_bucket_server_side_encryption_configuration", k)
	}
	if companions >= 3 {
		s.p(`resource "aws_s3_bucket_versioning" %q {
  for_each = local.%s_buckets

  bucket = aws_s3_bucket.%s[each.key].id

  versioning_configuration {
    status = each.key == "raw" ? "Suspended" : "Enabled"
  }
}

`, n, n, n)
		s.count("aws_s3_bucket_versioning", k)
	}
	return k * per
}

func s3Module(s *service, rem int) int {
	logging := s.rng.IntN(3) > 0
	per := 4
	if logging {
		per = 5
	}
	if rem < per {
		return 0
	}
	k := s.upTo(3, rem/per)
	n := s.newName()
	s.used["s3_bucket"] = true
	s.stats.ModuleCalls++
	s.p(`module %q {
  source = "../../modules/s3_bucket"
  count  = %d

  name = "acme-${local.name}-%s-${count.index}"
  tags = local.tags
`, n, k, strings.ReplaceAll(n, "_", "-"))
	if s.bad() {
		s.p("  versioning = false\n  block_public_access = false\n")
	} else {
		s.p("  kms_key_arn = var.kms_key_arn\n")
	}
	if logging {
		s.p("  access_log_bucket = var.log_bucket\n")
	}
	s.p("}\n\n")
	for _, t := range []string{"aws_s3_bucket", "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_versioning"} {
		s.count(t, k)
	}
	if logging {
		s.count("aws_s3_bucket_logging", k)
	}
	return k * per
}

func efs(s *service, rem int) int {
	n := s.newName()
	s.p("resource \"aws_efs_file_system\" %q {\n  creation_token = \"${local.name}-%s\"\n", n, n)
	if !s.bad() {
		s.p("  encrypted = true\n  kms_key_id = var.kms_key_arn\n")
	}
	s.p("  tags = %s\n}\n\n", s.tags(n))
	s.count("aws_efs_file_system", 1)
	return 1
}

// ---------------------------------------------------------------------------
// iam

func iamPolicyJSON(s *service, rem int) int {
	n := s.newName()
	s.p(`resource "aws_iam_policy" %q {
  name        = "${local.name}-%s"
  description = "What the %s tier of %s may do"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadConfig"
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "ssm:GetParametersByPath"]
        Resource = "arn:aws:ssm:${var.region}:${local.account_id}:parameter/${local.name}/*"
      },
`, n, strings.ReplaceAll(n, "_", "-"), n, s.name)
	if s.bad() {
		switch s.rng.IntN(3) {
		case 0:
			s.p("      {\n        Effect = \"Allow\"\n        Action = \"*\"\n        Resource = \"*\"\n      },\n")
		case 1:
			s.p("      {\n        Effect = \"Allow\"\n        Action = [\"s3:*\"]\n        Resource = \"arn:aws:s3:::acme-${local.name}-*\"\n      },\n")
		default:
			s.p("      {\n        Effect = \"Allow\"\n        Action = \"iam:PassRole\"\n        Resource = \"*\"\n      },\n")
		}
	} else {
		s.p("      {\n        Sid = \"Decrypt\"\n        Effect = \"Allow\"\n        Action = [\"kms:Decrypt\"]\n        Resource = var.kms_key_arn\n      },\n")
	}
	s.p("    ]\n  })\n}\n\n")
	s.count("aws_iam_policy", 1)
	return 1
}

var managedPolicies = []string{
	"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
	"arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
	"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
	"arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
	"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
}

func iamRoleAttach(s *service, rem int) int {
	if rem < 2 {
		return 0
	}
	k := s.upTo(len(managedPolicies), rem-1)
	n := s.newName()
	principal := `{ Service = "ec2.amazonaws.com" }`
	if s.bad() && s.rng.IntN(2) == 0 {
		principal = `{ AWS = "*" }`
	}
	s.p(`resource "aws_iam_role" %q {
  name = "${local.name}-%s"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = %s
      Action    = "sts:AssumeRole"
    }]
  })
}

`, n, strings.ReplaceAll(n, "_", "-"), principal)
	arns := make([]string, k)
	for i := range arns {
		arns[i] = fmt.Sprintf("%q", managedPolicies[i])
	}
	if s.bad() {
		arns[k-1] = `"arn:aws:iam::aws:policy/AdministratorAccess"`
	}
	s.p(`resource "aws_iam_role_policy_attachment" %q {
  for_each = toset([
    %s,
  ])

  role       = aws_iam_role.%s.name
  policy_arn = each.value
}

`, n, strings.Join(arns, ",\n    "), n)
	s.count("aws_iam_role", 1)
	s.count("aws_iam_role_policy_attachment", k)
	return 1 + k
}

// policyDoc is a policy document data source and the inline role policy
// that uses it: one managed resource, one data source.
func policyDoc(s *service, rem int) int {
	n := s.newName()
	s.p(`data "aws_iam_policy_document" %q {
  statement {
    sid       = "ReadReleases"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-${local.name}-releases/*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:${var.region}:${local.account_id}:log-group:/app/${local.name}/*"]
  }
`, n)
	if s.bad() {
		s.p("\n  statement {\n    sid = \"Operations\"\n    actions = [%q]\n    resources = [\"*\"]\n  }\n", s.pick([]string{"ec2:*", "iam:PassRole", "*", "dynamodb:*"}))
	}
	s.p(`}

resource "aws_iam_role_policy" %q {
  name   = "%s"
  role   = "${local.name}-app"
  policy = data.aws_iam_policy_document.%s.json
}

`, n, n, n)
	s.stats.DataSources++
	s.count("aws_iam_role_policy", 1)
	return 1
}

// iamUser is always a finding: a user with a direct policy and an access
// key. Rare.
func iamUser(s *service, rem int) int {
	if rem < 3 || s.rng.IntN(4) != 0 {
		return 0
	}
	n := s.newName()
	s.p(`# Used by the legacy Jenkins jobs.
resource "aws_iam_user" %q {
  name = "${local.name}-%s"
}

resource "aws_iam_user_policy_attachment" %q {
  user       = aws_iam_user.%s.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}

resource "aws_iam_access_key" %q {
  user = aws_iam_user.%s.name
}

`, n, strings.ReplaceAll(n, "_", "-"), n, n, n, n)
	s.count("aws_iam_user", 1)
	s.count("aws_iam_user_policy_attachment", 1)
	s.count("aws_iam_access_key", 1)
	return 3
}

func kmsKey(s *service, rem int) int {
	n := s.newName()
	s.p("resource \"aws_kms_key\" %q {\n  description = \"%s data of %s\"\n  deletion_window_in_days = 30\n", n, n, s.name)
	if !s.bad() {
		s.p("  enable_key_rotation = true\n")
	}
	s.p("}\n\n")
	s.count("aws_kms_key", 1)
	return 1
}

// ---------------------------------------------------------------------------
// data

func rds(s *service, rem int) int {
	n := s.newName()
	size := 1
	if rem >= 2 && s.rng.IntN(2) == 0 {
		size = 2
		s.p("resource \"aws_db_subnet_group\" %q {\n  name = \"${local.name}-%s\"\n  subnet_ids = var.private_subnet_ids\n}\n\n", n, strings.ReplaceAll(n, "_", "-"))
		s.count("aws_db_subnet_group", 1)
	}
	engine, version := "postgres", "16.3"
	if s.rng.IntN(3) == 0 {
		engine, version = "mysql", "8.0.36"
	}
	s.p(`resource "aws_db_instance" %q {
  identifier        = "${local.name}-%s"
  engine            = %q
  engine_version    = %q
  instance_class    = "db.t4g.medium"
  allocated_storage = 50
  username          = "app_admin"
`, n, strings.ReplaceAll(n, "_", "-"), engine, version)
	if s.bad() {
		s.p("  password = \"%s\"\n", s.secretKey()[:16])
	} else {
		s.p("  manage_master_user_password = true\n")
	}
	enc, pub := true, false
	if s.bad() {
		enc, pub = s.rng.IntN(2) == 0, s.rng.IntN(2) == 0
	}
	s.p("  storage_encrypted = %t\n  publicly_accessible = %t\n", enc, pub)
	if size == 2 {
		s.p("  db_subnet_group_name = aws_db_subnet_group.%s.name\n", n)
	}
	s.p("  vpc_security_group_ids = [var.shared_security_group_id]\n  backup_retention_period = 7\n  skip_final_snapshot = false\n  final_snapshot_identifier = \"${local.name}-%s-final\"\n}\n\n", strings.ReplaceAll(n, "_", "-"))
	s.count("aws_db_instance", 1)
	return size
}

func dynamodb(s *service, rem int) int {
	n := s.newName()
	s.p(`resource "aws_dynamodb_table" %q {
  name         = "${local.name}-%s"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
`, n, strings.ReplaceAll(n, "_", "-"))
	if !s.bad() {
		s.p("\n  server_side_encryption {\n    enabled = true\n    kms_key_arn = var.kms_key_arn\n  }\n\n  point_in_time_recovery {\n    enabled = true\n  }\n")
	}
	s.p("}\n\n")
	s.count("aws_dynamodb_table", 1)
	return 1
}

var paramNames = []string{"db-host", "feature-flags", "api-token", "log-level", "signing-key", "upstream-url", "smtp-password"}

func ssmForEach(s *service, rem int) int {
	k := s.upTo(len(paramNames), rem)
	n := s.newName()
	secureAll := !s.bad()
	s.p("resource \"aws_ssm_parameter\" %q {\n  for_each = {\n", n)
	for i := range k {
		name := paramNames[(i+s.seq)%len(paramNames)]
		typ := "String"
		secret := strings.Contains(name, "token") || strings.Contains(name, "key") || strings.Contains(name, "password")
		if secret && secureAll {
			typ = "SecureString"
		}
		value := "${local.name}.internal"
		if secret {
			value = s.secretKey()[:24]
		}
		s.p("    %q = { type = %q, value = %q }\n", name, typ, value)
	}
	s.p(`  }

  name   = "/${local.name}/${each.key}"
  type   = each.value.type
  value  = each.value.value
  key_id = each.value.type == "SecureString" ? var.kms_key_arn : null
}

`)
	s.count("aws_ssm_parameter", k)
	return k
}

func sqs(s *service, rem int) int {
	n := s.newName()
	s.p("resource \"aws_sqs_queue\" %q {\n  name = \"${local.name}-%s\"\n  visibility_timeout_seconds = 60\n", n, strings.ReplaceAll(n, "_", "-"))
	if !s.bad() {
		s.p("  sqs_managed_sse_enabled = true\n")
	}
	s.p("}\n\n")
	s.count("aws_sqs_queue", 1)
	return 1
}

// ---------------------------------------------------------------------------
// observability

func logGroup(s *service, rem int) int {
	n := s.newName()
	s.p("resource \"aws_cloudwatch_log_group\" %q {\n  name = \"/app/${local.name}/%s\"\n  retention_in_days = %d\n", n, n, []int{14, 30, 90, 365}[s.rng.IntN(4)])
	if !s.bad() {
		s.p("  kms_key_id = var.kms_key_arn\n")
	}
	s.p("}\n\n")
	s.count("aws_cloudwatch_log_group", 1)
	return 1
}

func cloudtrail(s *service, rem int) int {
	n := s.newName()
	bad := s.bad()
	s.p(`resource "aws_cloudtrail" %q {
  name                          = "${local.name}-%s"
  s3_bucket_name                = "acme-${local.name}-cloudtrail"
  include_global_service_events = true
  is_multi_region_trail         = %t
  enable_log_file_validation    = %t
`, n, strings.ReplaceAll(n, "_", "-"), !bad, !bad || s.rng.IntN(2) == 0)
	if !bad {
		s.p("  kms_key_id = var.kms_key_arn\n")
	}
	s.p("}\n\n")
	s.count("aws_cloudtrail", 1)
	return 1
}

func flowLog(s *service, rem int) int {
	if rem < 2 {
		return 0
	}
	n := s.newName()
	s.p(`resource "aws_cloudwatch_log_group" %q {
  name              = "/vpc/${local.name}/%s"
  retention_in_days = 365
  kms_key_id        = var.kms_key_arn
}

resource "aws_flow_log" %q {
  vpc_id          = var.vpc_id
  traffic_type    = "ALL"
  log_destination = aws_cloudwatch_log_group.%s.arn
  iam_role_arn    = "arn:aws:iam::${local.account_id}:role/vpc-flow-logs"
}

`, n, n, n, n)
	s.count("aws_cloudwatch_log_group", 1)
	s.count("aws_flow_log", 1)
	return 2
}

func snsTopic(s *service, rem int) int {
	n := s.newName()
	s.p("resource \"aws_sns_topic\" %q {\n  name = \"${local.name}-%s\"\n", n, strings.ReplaceAll(n, "_", "-"))
	if !s.bad() {
		s.p("  kms_master_key_id = var.kms_key_arn\n")
	}
	s.p("}\n\n")
	s.count("aws_sns_topic", 1)
	return 1
}
