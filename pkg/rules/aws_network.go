package rules

import (
	"regexp"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

var ingressTypes = []string{
	"aws_security_group", "aws_default_security_group",
	"aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
}

const (
	refSecurityGroups = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html"
	refSGRules        = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"
	refEC2Controls    = "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html"
	refCIS            = "https://www.cisecurity.org/benchmark/amazon_web_services"
	refTFSecGroup     = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group"
	refELBControls    = "https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html"
	refEKSControls    = "https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html"
)

func awsNetworkRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-AWS-001",
			Severity: finding.Critical,
			Title:    "Security group allows an admin port (SSH, RDP, WinRM) from the internet",
			Why: "An immutable server is never logged in to: it is configured when its image is baked and replaced, " +
				"not repaired. An SSH, RDP or WinRM port open to 0.0.0.0/0 or ::/0 serves no deploy and only invites " +
				"brute force and exploits of the remote-access daemon, and a successful login is exactly the in-place " +
				"change that makes a server drift from its image.",
			Remediation: "Remove the ingress rule. For break-glass access use AWS Systems Manager Session Manager " +
				"(no inbound port), or restrict the source to a known range, e.g.\n" +
				"  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n" +
				"    cidr_blocks = [\"10.20.0.0/16\"] # the VPN, never 0.0.0.0/0\n  }",
			References: []string{
				refEC2Controls,
				refSGRules,
				refCIS,
				"https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
			},
			ResourceTypes: ingressTypes,
			Check: func(s *model.State) []Result {
				var rs resultSet
				for _, in := range openIngress(s) {
					if hit := in.covers(adminPorts); len(hit) > 0 {
						rs.add(At(in.res, in.at, in.portMessage(hit)))
					}
				}
				return rs.list
			},
		},
		{
			ID:       "FX-AWS-002",
			Severity: finding.High,
			Title:    "Security group allows all ports from the internet",
			Why: "An immutable server runs a known, baked set of services, so the ports it needs are known before it " +
				"starts. Opening every port (protocol -1 or 0-65535) to the internet exposes whatever else happens to " +
				"listen: debug endpoints, metrics, an agent installed later.",
			Remediation: "List only the ports the image serves, e.g.\n" +
				"  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n" +
				"    cidr_blocks = [\"0.0.0.0/0\"]\n  }",
			References:    []string{refEC2Controls, refSGRules, refCIS},
			ResourceTypes: ingressTypes,
			Check: func(s *model.State) []Result {
				var rs resultSet
				for _, in := range openIngress(s) {
					if in.allPorts() {
						rs.add(At(in.res, in.at, in.subject+" allows "+in.what(false)+" from "+in.sources()))
					}
				}
				return rs.list
			},
		},
		{
			ID:       "FX-AWS-003",
			Severity: finding.High,
			Title:    "Security group allows a database or cache port from the internet",
			Why: "Databases and caches (MySQL, PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Memcached, " +
				"Elasticsearch, Cassandra, CouchDB) hold the state that immutable servers keep elsewhere; they are " +
				"the most valuable target and are routinely scanned for and ransomed when reachable from the internet.",
			Remediation: "Allow the port only from the application's security group:\n" +
				"  ingress {\n    from_port       = 5432\n    to_port         = 5432\n    protocol        = \"tcp\"\n" +
				"    security_groups = [aws_security_group.app.id]\n  }",
			References:    []string{refEC2Controls, refSGRules, refCIS},
			ResourceTypes: ingressTypes,
			Check: func(s *model.State) []Result {
				var rs resultSet
				for _, in := range openIngress(s) {
					if hit := in.covers(databasePorts); len(hit) > 0 {
						rs.add(At(in.res, in.at, in.portMessage(hit)))
					}
				}
				return rs.list
			},
		},
		{
			ID:       "FX-AWS-004",
			Severity: finding.Medium,
			Title:    "Default security group has rules",
			Why: "Every network interface that names no security group lands in the VPC's default group. Rules on it " +
				"apply silently to anything launched without an explicit group, so traffic is allowed by accident rather " +
				"than by the declared design that an immutable deployment depends on.",
			Remediation: "Manage the default group with no rules, which removes the ones AWS creates:\n" +
				"  resource \"aws_default_security_group\" \"default\" {\n    vpc_id = aws_vpc.main.id\n  }\n" +
				"and give every resource its own security group.",
			References: []string{
				refEC2Controls,
				"https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
				refCIS,
			},
			ResourceTypes: []string{
				"aws_default_security_group", "aws_security_group_rule",
				"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
			},
			Check: checkDefaultSGRules,
		},
		{
			ID:       "FX-AWS-005",
			Severity: finding.Low,
			Title:    "Security group or rule without a description",
			Why: "With immutable infrastructure the template is the only documentation of why traffic is allowed; " +
				"nobody can log in to ask the server. A rule without a description cannot be reviewed or safely " +
				"removed later, so stale openings accumulate.",
			Remediation: "Describe the purpose of every group and rule:\n" +
				"  ingress {\n    description = \"HTTPS from the public load balancer\"\n    ...\n  }",
			References: []string{refSGRules, refTFSecGroup},
			ResourceTypes: []string{
				"aws_security_group", "aws_default_security_group", "aws_security_group_rule",
				"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
			},
			Check: checkSGDescriptions,
		},
		{
			ID:       "FX-AWS-006",
			Severity: finding.Medium,
			Title:    "Subnet assigns public IP addresses on launch",
			Why: "Every instance started in the subnet, including each replacement an immutable rollout launches, " +
				"gets a public address by default, so exposure depends on every security group being right. Servers " +
				"belong in private subnets behind a load balancer or NAT.",
			Remediation: "Set map_public_ip_on_launch = false (the default) and place instances in private subnets; " +
				"only load balancers and NAT gateways need public subnets.",
			References: []string{
				"https://docs.aws.amazon.com/vpc/latest/userguide/modify-subnets.html",
				refEC2Controls,
			},
			ResourceTypes: []string{"aws_subnet", "aws_default_subnet"},
			Check: func(s *model.State) []Result {
				var rs resultSet
				for _, res := range s.OfType("aws_subnet", "aws_default_subnet") {
					a := res.Attr("map_public_ip_on_launch")
					if v, ok := a.Bool(); ok && v {
						rs.add(At(res, a, label(res)+" sets map_public_ip_on_launch = true"))
					}
				}
				return rs.list
			},
		},
		{
			ID:       "FX-AWS-007",
			Severity: finding.High,
			Title:    "Load balancer listener uses plain HTTP",
			Why: "Traffic to the load balancer travels unencrypted and can be read or altered on the way, including " +
				"session cookies and credentials. A listener on HTTP is fine only to redirect clients to HTTPS.",
			Remediation: "Serve HTTPS with a certificate, and make any HTTP listener redirect:\n" +
				"  default_action {\n    type = \"redirect\"\n    redirect {\n      port        = \"443\"\n" +
				"      protocol    = \"HTTPS\"\n      status_code = \"HTTP_301\"\n    }\n  }",
			References: []string{
				"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html",
				"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
				refELBControls,
			},
			ResourceTypes: []string{"aws_lb_listener", "aws_alb_listener"},
			Check:         checkHTTPListener,
		},
		{
			ID:       "FX-AWS-008",
			Severity: finding.High,
			Title:    "Load balancer listener uses an outdated TLS policy",
			Why: "Security policies that still allow TLS 1.0 or 1.1 let clients negotiate broken protocol versions " +
				"and ciphers. The provider's default, ELBSecurityPolicy-2016-08, is one of them.",
			Remediation: "Choose a TLS 1.2+ policy:\n  ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"",
			References: []string{
				"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
				"https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html",
				refELBControls,
			},
			ResourceTypes: []string{"aws_lb_listener", "aws_alb_listener"},
			Check:         checkTLSPolicy,
		},
		{
			ID:       "FX-AWS-009",
			Severity: finding.Medium,
			Title:    "Application load balancer does not drop invalid HTTP headers",
			Why: "Header names that are not valid HTTP are passed to the targets unless the load balancer drops " +
				"them, which enables request smuggling and header-confusion attacks against the application.",
			Remediation: "Set drop_invalid_header_fields = true on the aws_lb.",
			References: []string{
				"https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
				refELBControls,
			},
			ResourceTypes: []string{"aws_lb", "aws_alb"},
			Check:         checkDropInvalidHeaders,
		},
		{
			ID:       "FX-AWS-010",
			Severity: finding.High,
			Title:    "EKS cluster API endpoint is public to the internet",
			Why: "The Kubernetes API decides what runs on the cluster. Exposed to the whole internet, it can be " +
				"attacked with stolen credentials or the next API server vulnerability; immutable workloads are only " +
				"as trustworthy as the control plane that schedules them.",
			Remediation: "Make the endpoint private, or limit who can reach it:\n" +
				"  vpc_config {\n    endpoint_private_access = true\n    endpoint_public_access  = false\n  }\n" +
				"or public_access_cidrs = [\"203.0.113.0/24\"].",
			References: []string{
				"https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
				refEKSControls,
			},
			ResourceTypes: []string{"aws_eks_cluster"},
			Check:         checkEKSPublicEndpoint,
		},
		{
			ID:       "FX-AWS-011",
			Severity: finding.Medium,
			Title:    "EKS cluster secrets are not encrypted with a KMS key",
			Why: "Kubernetes secrets are stored in etcd. Since Kubernetes 1.28 EKS encrypts them with an AWS-owned key, " +
				"but only envelope encryption with your own KMS key puts every decryption under a key policy you control " +
				"and in CloudTrail, and lets you revoke access to the secrets by disabling the key.",
			Remediation: "Add\n  encryption_config {\n    resources = [\"secrets\"]\n" +
				"    provider {\n      key_arn = aws_kms_key.eks.arn\n    }\n  }",
			References: []string{
				"https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html",
				"https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
				refEKSControls,
			},
			ResourceTypes: []string{"aws_eks_cluster"},
			Check:         checkEKSSecretsEncryption,
		},
	}
}

func checkDefaultSGRules(s *model.State) []Result {
	var rs resultSet
	defaults := s.OfType("aws_default_security_group")
	for _, res := range defaults {
		for _, kind := range []string{"ingress", "egress"} {
			for _, b := range res.Body.BlocksOf(kind) {
				rs.add(AtBlock(res, b, label(res)+" has an "+kind+" rule; the default group should have none"))
			}
		}
	}
	// Standalone rules attached to the default group.
	for _, res := range s.OfType("aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule") {
		a := res.Attr("security_group_id")
		for _, d := range defaults {
			if d.Module == res.Module && a.RefersTo(d) {
				rs.add(At(res, a, label(res)+" adds a rule to the default security group "+d.Address()))
				break
			}
		}
	}
	return rs.list
}

// terraformDefaultDescription is what the provider writes when a security
// group's description is left out.
const terraformDefaultDescription = "Managed by Terraform"

func checkSGDescriptions(s *model.State) []Result {
	var rs resultSet
	// describe reports on one description attribute of a body; what names
	// the owner in the message.
	describe := func(res *model.Resource, b *model.Block, what string, isResource bool) {
		a := b.Attr("description")
		if a != nil && a.Value.IsKnown() && a.Value.IsNull() {
			rs.add(At(res, a, what+" sets description = null"))
			return
		}
		if a == nil {
			if isResource {
				rs.add(Missing(res, what+" has no description"))
			} else {
				rs.add(AtBlock(res, b, what+" has no description"))
			}
			return
		}
		v, ok := a.String()
		switch {
		case !ok:
		case strings.TrimSpace(v) == "":
			rs.add(At(res, a, what+" has an empty description"))
		case isResource && v == terraformDefaultDescription:
			rs.add(At(res, a, what+" keeps the placeholder description "+quoted(v)))
		}
	}
	for _, res := range s.OfType("aws_security_group", "aws_default_security_group") {
		if res.Type == "aws_security_group" {
			describe(res, res.Body, label(res), true)
		}
		for _, kind := range []string{"ingress", "egress"} {
			for _, b := range res.Body.BlocksOf(kind) {
				describe(res, b, label(res)+" "+kind+" rule", false)
			}
		}
	}
	for _, res := range s.OfType("aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule") {
		describe(res, res.Body, label(res), true)
	}
	return rs.list
}

// refTargets returns the resources of the given types an attribute refers to.
func refTargets(s *model.State, a *model.Attribute, types ...string) []*model.Resource {
	if a == nil {
		return nil
	}
	var out []*model.Resource
	for _, r := range s.OfType(types...) {
		for _, ref := range a.Refs {
			if ref == r.BaseAddress() {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// lbType returns the load balancer type of a listener's load balancer
// ("application" when unset, as in the provider); ok is false when the
// load balancer is not in the configuration or its type is unknown.
func lbType(s *model.State, listener *model.Resource) (string, bool) {
	lbs := refTargets(s, listener.Attr("load_balancer_arn"), "aws_lb", "aws_alb")
	if len(lbs) == 0 {
		return "", false
	}
	typ := ""
	for i, lb := range lbs {
		t, ok := lbTypeOf(lb)
		if !ok || (i > 0 && t != typ) {
			return "", false
		}
		typ = t
	}
	return typ, true
}

func lbTypeOf(lb *model.Resource) (string, bool) {
	a := lb.Attr("load_balancer_type")
	if a == nil {
		return "application", true
	}
	if a.Value.IsKnown() && a.Value.IsNull() {
		return "application", true
	}
	return a.String()
}

// redirectsToHTTPS reports whether a listener's default action redirects to
// HTTPS; known is false when that cannot be told.
func redirectsToHTTPS(res *model.Resource) (yes, known bool) {
	known = true
	for _, act := range res.Body.BlocksOf("default_action") {
		t, ok := act.Attr("type").String()
		if !ok {
			known = false
			continue
		}
		if t != "redirect" {
			continue
		}
		pa := act.Block("redirect").Attr("protocol")
		if unset(pa) {
			continue // "#{protocol}": the redirect keeps HTTP
		}
		p, ok := pa.String()
		if !ok {
			known = false
			continue
		}
		if strings.EqualFold(p, "HTTPS") {
			return true, true
		}
	}
	return false, known
}

func checkHTTPListener(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_lb_listener", "aws_alb_listener") {
		a := res.Attr("protocol")
		var plain bool
		if a == nil || (a.Value.IsKnown() && a.Value.IsNull()) {
			// Unset means HTTP on an application load balancer.
			t, ok := lbType(s, res)
			plain = ok && t == "application"
		} else if p, ok := a.String(); ok {
			plain = strings.EqualFold(p, "HTTP")
		}
		if !plain {
			continue
		}
		if yes, known := redirectsToHTTPS(res); yes || !known {
			continue
		}
		if a == nil || a.Value.IsNull() {
			rs.add(Missing(res, label(res)+" has no protocol, so it listens on plain HTTP, and does not redirect to HTTPS"))
		} else {
			rs.add(At(res, a, label(res)+" listens on plain HTTP and does not redirect to HTTPS"))
		}
	}
	return rs.list
}

// outdatedTLSPolicies allow TLS 1.0 or 1.1. Policies named for their
// minimum version (TLS-1-0, TLS13-1-1, FS-1-1, ...) are caught by pattern.
var outdatedTLSPolicies = map[string]bool{
	"ELBSecurityPolicy-2016-08":            true,
	"ELBSecurityPolicy-2015-05":            true,
	"ELBSecurityPolicy-2015-03":            true,
	"ELBSecurityPolicy-2015-02":            true,
	"ELBSecurityPolicy-2014-10":            true,
	"ELBSecurityPolicy-2014-01":            true,
	"ELBSecurityPolicy-2011-08":            true,
	"ELBSecurityPolicy-FS-2018-06":         true,
	"ELBSample-OpenSSLDefaultCipherPolicy": true,
}

var oldTLSVersionInName = regexp.MustCompile(`(?i)(?:TLS|TLS13|FS)-1-[01](?:-|$)`)

// defaultTLSPolicy is what the provider and the ELB API use when ssl_policy
// is left out of an HTTPS or TLS listener.
const defaultTLSPolicy = "ELBSecurityPolicy-2016-08"

func outdatedTLSPolicy(p string) bool {
	return outdatedTLSPolicies[p] || oldTLSVersionInName.MatchString(p)
}

func checkTLSPolicy(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_lb_listener", "aws_alb_listener") {
		proto, ok := res.Attr("protocol").String()
		if !ok {
			continue
		}
		proto = strings.ToUpper(proto)
		if proto != "HTTPS" && proto != "TLS" {
			continue
		}
		a := res.Attr("ssl_policy")
		if a == nil || (a.Value.IsKnown() && a.Value.IsNull()) {
			rs.add(Missing(res, label(res)+" has no ssl_policy, so it gets "+defaultTLSPolicy+", which allows TLS 1.0 and 1.1"))
			continue
		}
		if p, ok := a.String(); ok && outdatedTLSPolicy(p) {
			rs.add(At(res, a, label(res)+" uses ssl_policy "+quoted(p)+", which allows TLS 1.0 or 1.1"))
		}
	}
	return rs.list
}

func checkDropInvalidHeaders(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_lb", "aws_alb") {
		if t, ok := lbTypeOf(res); !ok || t != "application" {
			continue
		}
		a := res.Attr("drop_invalid_header_fields")
		if a == nil || (a.Value.IsKnown() && a.Value.IsNull()) {
			rs.add(Missing(res, label(res)+" does not set drop_invalid_header_fields (default false)"))
			continue
		}
		if v, ok := a.Bool(); ok && !v {
			rs.add(At(res, a, label(res)+" sets drop_invalid_header_fields = false"))
		}
	}
	return rs.list
}

func checkEKSPublicEndpoint(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_eks_cluster") {
		vpc := res.Body.Block("vpc_config")
		if vpc == nil {
			continue // required by the provider; a loader error says more
		}
		pub := vpc.Attr("endpoint_public_access")
		if pub != nil && !(pub.Value.IsKnown() && pub.Value.IsNull()) {
			v, ok := pub.Bool()
			if !ok || !v {
				continue
			}
		}
		cidrs := vpc.Attr("public_access_cidrs")
		if cidrs == nil || (cidrs.Value.IsKnown() && cidrs.Value.IsNull()) {
			msg := label(res) + " API endpoint is public to 0.0.0.0/0 (public_access_cidrs not set)"
			if pub != nil && !pub.Value.IsNull() {
				rs.add(At(res, pub, msg))
			} else {
				rs.add(AtBlock(res, vpc, msg))
			}
			continue
		}
		var open []string
		for _, c := range knownStrings(cidrs) {
			if openCIDR(c) {
				open = append(open, strings.TrimSpace(c))
			}
		}
		if len(open) > 0 {
			rs.add(At(res, cidrs, label(res)+" API endpoint is public to "+joinAnd(open)))
		}
	}
	return rs.list
}

func checkEKSSecretsEncryption(s *model.State) []Result {
	var rs resultSet
	for _, res := range s.OfType("aws_eks_cluster") {
		cfgs := res.Body.BlocksOf("encryption_config")
		if len(cfgs) == 0 {
			rs.add(Missing(res, label(res)+" has no encryption_config for secrets"))
			continue
		}
		var covered, unknown bool
		var last *model.Attribute
		for _, c := range cfgs {
			a := c.Attr("resources")
			last = a
			ss, ok := a.Strings()
			if !ok {
				unknown = true
				continue
			}
			for _, r := range ss {
				if r == "secrets" {
					covered = true
				}
			}
		}
		if covered || unknown {
			continue
		}
		if last != nil {
			rs.add(At(res, last, label(res)+" encryption_config does not cover \"secrets\""))
		} else {
			rs.add(AtBlock(res, cfgs[0], label(res)+" encryption_config does not cover \"secrets\""))
		}
	}
	return rs.list
}
