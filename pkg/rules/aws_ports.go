package rules

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// This file turns the four ways Terraform writes a security group ingress
// rule (inline ingress blocks, the ingress = [...] attribute form,
// aws_security_group_rule, aws_vpc_security_group_ingress_rule) into one
// shape, so the port rules are written once.

// namedPort is a well-known service port range.
type namedPort struct {
	from, to int64
	name     string
	// udp is set when the service also listens on UDP.
	udp bool
}

func (p namedPort) String() string {
	if p.from == p.to {
		return strconv.FormatInt(p.from, 10) + " (" + p.name + ")"
	}
	return strconv.FormatInt(p.from, 10) + "-" + strconv.FormatInt(p.to, 10) + " (" + p.name + ")"
}

var adminPorts = []namedPort{
	{22, 22, "SSH", false},
	{3389, 3389, "RDP", true},
	{5985, 5986, "WinRM", false},
}

var databasePorts = []namedPort{
	{1433, 1433, "SQL Server", false},
	{1521, 1521, "Oracle", false},
	{3306, 3306, "MySQL", false},
	{5432, 5432, "PostgreSQL", false},
	{5984, 5984, "CouchDB", false},
	{6379, 6379, "Redis", false},
	{9042, 9042, "Cassandra", false},
	{9200, 9200, "Elasticsearch", false},
	{11211, 11211, "Memcached", true},
	{27017, 27017, "MongoDB", false},
}

// IP protocols as the AWS API names them, normalized.
const (
	protoAll   = "all"
	protoTCP   = "tcp"
	protoUDP   = "udp"
	protoOther = "other" // ICMP and the rest: from/to are not ports
)

// normProtocol maps the spellings AWS accepts ("-1", "all", "tcp", "6", ...)
// to one of the proto constants; ok is false when the value is unknown.
func normProtocol(a *model.Attribute) (string, bool) {
	s, ok := a.String()
	if !ok {
		return "", false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "-1", "all":
		return protoAll, true
	case "tcp", "6":
		return protoTCP, true
	case "udp", "17":
		return protoUDP, true
	}
	return protoOther, true
}

// sgIngress is one ingress rule open to a /0 network.
type sgIngress struct {
	res *model.Resource
	// subject opens messages: `aws_security_group "web" ingress`.
	subject string
	proto   string
	// from and to are the port range; portsKnown is false when either
	// bound is unknown, in which case only protocol "all" can match.
	from, to   int64
	portsKnown bool
	// at is the first attribute holding an open CIDR: where findings point.
	at *model.Attribute
	// open lists the /0 networks, in attribute order, e.g. ["0.0.0.0/0", "::/0"].
	open []string
}

// sources describes the open networks for a message: "0.0.0.0/0 and ::/0".
func (in sgIngress) sources() string { return joinAnd(in.open) }

// covers returns the named ports the rule lets through, in table order.
func (in sgIngress) covers(ports []namedPort) []namedPort {
	var out []namedPort
	for _, p := range ports {
		switch in.proto {
		case protoAll:
		case protoTCP:
			if !in.portsKnown || in.from > p.to || in.to < p.from {
				continue
			}
		case protoUDP:
			if !p.udp || !in.portsKnown || in.from > p.to || in.to < p.from {
				continue
			}
		default:
			continue
		}
		out = append(out, p)
	}
	return out
}

// allPorts reports whether every port of a protocol is open.
func (in sgIngress) allPorts() bool {
	switch in.proto {
	case protoAll:
		return true
	case protoTCP, protoUDP:
		return in.portsKnown && in.from <= 1 && in.to >= 65535
	}
	return false
}

// within reports whether the rule opens only ports of p.
func (in sgIngress) within(p namedPort) bool {
	return in.proto != protoAll && in.portsKnown && in.from >= p.from && in.to <= p.to
}

// what describes the traffic a rule allows: "tcp ports 0-65535", "all
// traffic". TCP, the usual case, goes unnamed when short is set.
func (in sgIngress) what(short bool) string {
	if in.proto == protoAll {
		return "all traffic"
	}
	proto := in.proto + " "
	if short && in.proto == protoTCP {
		proto = ""
	}
	if in.from == in.to {
		return proto + "port " + strconv.FormatInt(in.from, 10)
	}
	return proto + "ports " + strconv.FormatInt(in.from, 10) + "-" + strconv.FormatInt(in.to, 10)
}

// portMessage builds the message of a port rule: the port and service when
// the rule opens only that service's ports, else what it opens and which
// services that includes.
func (in sgIngress) portMessage(hit []namedPort) string {
	if len(hit) == 1 && in.within(hit[0]) {
		return in.subject + " allows " + in.what(true) + " (" + hit[0].name + ") from " + in.sources()
	}
	names := make([]string, len(hit))
	for i, p := range hit {
		names[i] = p.String()
	}
	return in.subject + " allows " + in.what(false) + ", including " + joinAnd(names) + ", from " + in.sources()
}

// openIngress returns every ingress rule of the state whose known sources
// include a /0 network. Rules whose protocol is unknown are left out: no
// rule may guess.
func openIngress(s *model.State) []sgIngress {
	var out []sgIngress
	for _, res := range s.OfType("aws_security_group", "aws_default_security_group") {
		for _, b := range res.Body.BlocksOf("ingress") {
			in, ok := ingressOf(res, b, "protocol", "cidr_blocks", "ipv6_cidr_blocks")
			if ok {
				in.subject = label(res) + " ingress"
				out = append(out, in)
			}
		}
	}
	for _, res := range s.OfType("aws_security_group_rule") {
		if t, ok := res.Attr("type").String(); !ok || t != "ingress" {
			continue
		}
		if in, ok := ingressOf(res, res.Body, "protocol", "cidr_blocks", "ipv6_cidr_blocks"); ok {
			in.subject = label(res)
			out = append(out, in)
		}
	}
	for _, res := range s.OfType("aws_vpc_security_group_ingress_rule") {
		if in, ok := ingressOf(res, res.Body, "ip_protocol", "cidr_ipv4", "cidr_ipv6"); ok {
			in.subject = label(res)
			out = append(out, in)
		}
	}
	return out
}

func ingressOf(res *model.Resource, b *model.Block, protoAttr string, cidrAttrs ...string) (sgIngress, bool) {
	in := sgIngress{res: res}
	for _, name := range cidrAttrs {
		a := b.Attr(name)
		var open []string
		for _, c := range knownStrings(a) {
			if openCIDR(c) {
				open = append(open, strings.TrimSpace(c))
			}
		}
		if len(open) > 0 {
			if in.at == nil {
				in.at = a
			}
			in.open = append(in.open, open...)
		}
	}
	if in.at == nil {
		return in, false
	}
	proto, ok := normProtocol(b.Attr(protoAttr))
	if !ok {
		return in, false
	}
	in.proto = proto
	from, okFrom := b.Attr("from_port").Int()
	to, okTo := b.Attr("to_port").Int()
	in.from, in.to = from, to
	in.portsKnown = okFrom && okTo && from >= 0 && from <= to
	return in, true
}

// openCIDR reports whether a CIDR is a /0: the whole IPv4 or IPv6 internet.
func openCIDR(s string) bool {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	return err == nil && p.Bits() == 0
}

// knownStrings returns the known string elements of a string or list
// attribute, skipping unknown ones: a list mixing a known "0.0.0.0/0" with
// an unknown variable still opens the world.
func knownStrings(a *model.Attribute) []string {
	if a == nil {
		return nil
	}
	ss, _ := a.Strings()
	return ss
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}
