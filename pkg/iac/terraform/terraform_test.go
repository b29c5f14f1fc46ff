package terraform

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

var varOpts = Options{
	VarFiles: []string{filepath.Join("testdata", "vars-extra", "extra.tfvars")},
	Vars: map[string]string{
		"from_var": "cli",
		"port":     "9090",
		"cidrs":    `["192.168.0.0/24", "10.0.0.0/8"]`,
		"unknown":  "ignored",
	},
}

// TestGolden loads every fixture and compares the whole evaluated state
// (addresses, values, ranges, refs, errors, notes, files) with its golden
// file.
func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		dir  string
		opts Options
	}{
		{"vars", "vars", Options{}},
		{"vars-cli", "vars", varOpts},
		{"locals", "locals", Options{}},
		{"exprs", "exprs", Options{}},
		{"count", "count", Options{}},
		{"foreach", "foreach", Options{}},
		{"dynamic", "dynamic", Options{}},
		{"functions", "functions", Options{}},
		{"modules", "modules", Options{}},
		{"outside", "outside/root", Options{}},
		{"json", "json", Options{}},
		{"broken", "broken", Options{}},
		{"unknown", "unknown", Options{}},
		{"cycles", "cycles", Options{}},
		{"modcycle", "modcycle", Options{}},
		{"tree", "tree", Options{}},
		{"tree-exclude", "tree", Options{Exclude: []string{"examples/**"}}},
		{"data", "data", Options{}},
		{"fakesource", "fakesource", Options{}},
		{"computed", "computed", Options{}},
		{"refs", "refs", Options{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := load(t, filepath.Join("testdata", c.dir), c.opts)
			golden(t, c.name, render(st))
		})
	}
}

// TestValues pins the evaluation rules one attribute at a time.
func TestValues(t *testing.T) {
	type check struct {
		addr  string
		attr  string // "name" or "block[i].name"
		value string // JSON, or "unknown"
		rng   string // file:line or file:start-end
		refs  []string
	}
	cases := []struct {
		name   string
		dir    string
		opts   Options
		checks []check
	}{
		{"variable precedence", "vars", Options{}, []check{
			{"aws_thing.t", "from_default", `"default"`, "main.tf:49", nil},
			{"aws_thing.t", "from_tfvars", `"tfvars"`, "main.tf:50", nil},
			{"aws_thing.t", "from_tfvars_json", `"tfvars.json"`, "main.tf:51", nil},
			{"aws_thing.t", "from_auto", `"b.auto"`, "main.tf:52", nil},
			{"aws_thing.t", "from_varfile", `"b.auto"`, "main.tf:53", nil},
			{"aws_thing.t", "port", `8080`, "main.tf:55", nil},
			{"aws_thing.t", "cidrs", `["10.0.0.0/8"]`, "main.tf:56", nil},
			{"aws_thing.t", "settings", `{"enabled":true,"name":"x"}`, "main.tf:57", nil},
			{"aws_thing.t", "unset_string", "unknown", "main.tf:58", nil},
			{"aws_thing.t", "unset_any", "unknown", "main.tf:59", nil},
			{"aws_thing.t", "workspace", `"default"`, "main.tf:60", nil},
			{"aws_thing.t", "module_path", `"."`, "main.tf:61", nil},
		}},
		{"-var-file and -var win", "vars", varOpts, []check{
			{"aws_thing.t", "from_auto", `"b.auto"`, "main.tf:52", nil},
			{"aws_thing.t", "from_varfile", `"varfile"`, "main.tf:53", nil},
			{"aws_thing.t", "from_var", `"cli"`, "main.tf:54", nil},
			{"aws_thing.t", "port", `9090`, "main.tf:55", nil},
			{"aws_thing.t", "cidrs", `["192.168.0.0/24","10.0.0.0/8"]`, "main.tf:56", nil},
		}},
		{"locals in any order", "locals", Options{}, []check{
			{"aws_s3_bucket.b", "bucket", `"acme-APP-prod"`, "main.tf:14", nil},
			{"aws_s3_bucket.b", "tags", `{"Env":"prod","Name":"acme-APP-prod"}`, "main.tf:15", nil},
		}},
		{"conditionals, templates, splat, for", "exprs", Options{}, []check{
			{"aws_instance.web[0]", "instance_type", `"t3.micro"`, "main.tf:20", nil},
			{"aws_instance.web[1]", "user_data", `"name=a;b;c;"`, "main.tf:21", nil},
			{"aws_instance.web[1]", "tags", `{"Name":"web-2"}`, "main.tf:22-24", nil},
			{"aws_lb.lb", "instances", `["ami-123","ami-123"]`, "main.tf:29", []string{"aws_instance.web"}},
			{"aws_lb.lb", "first", `"t3.micro"`, "main.tf:30", []string{"aws_instance.web"}},
			{"aws_lb.lb", "upper_names", `["A","C"]`, "main.tf:31", nil},
			{"aws_lb.lb", "by_name", `{"a":1,"b":1,"c":1}`, "main.tf:32", nil},
			{"aws_lb.lb", "policy", `"{\n  \"Version\": \"2012-10-17\"\n}\n"`, "main.tf:34", nil},
			{"aws_lb.lb", "tag_names", `["web-1","web-2"]`, "main.tf:35", []string{"aws_instance.web"}},
		}},
		{"count", "count", Options{}, []check{
			{"aws_subnet.s[2]", "cidr_block", `"10.0.2.0/24"`, "main.tf:7", nil},
			{"aws_route_table_association.a[1]", "subnet_id", "unknown", "main.tf:17", []string{"aws_subnet.s"}},
			{"aws_route_table_association.a[1]", "cidr", `"10.0.1.0/24"`, "main.tf:18", []string{"aws_subnet.s"}},
			{"aws_eip.maybe[0]", "vpc", `true`, "main.tf:23", nil},
		}},
		{"for_each over map and set", "foreach", Options{}, []check{
			{`aws_s3_bucket.b["logs"]`, "bucket", `"acme-logs"`, "main.tf:10", nil},
			{`aws_s3_bucket.b["data"]`, "enabled", `false`, "main.tf:11", nil},
			{`aws_iam_user.u["alice"]`, "name", `"alice"`, "main.tf:16", nil},
			{`aws_iam_user.u["bob"]`, "key", `"bob"`, "main.tf:17", nil},
			{`aws_s3_bucket_versioning.v["logs"]`, "bucket", `"acme-logs"`, "main.tf:22", []string{"aws_s3_bucket.b"}},
			{`aws_s3_bucket_versioning.v["logs"]`, "id_ref", "unknown", "main.tf:23", []string{"aws_s3_bucket.b"}},
			{`aws_s3_bucket_policy.logs`, "bucket", `"acme-logs"`, "main.tf:27", []string{"aws_s3_bucket.b"}},
		}},
		{"dynamic blocks", "dynamic", Options{}, []check{
			{"aws_security_group.sg", "ingress[0].from_port", `22`, "main.tf:14", nil},
			{"aws_security_group.sg", "ingress[1].cidr_blocks", `["0.0.0.0/0","::/0"]`, "main.tf:16", nil},
			{"aws_security_group.sg", "ingress[1].description", `"rule 1"`, "main.tf:17", nil},
			{"aws_security_group.sg", "egress[0].from_port", `0`, "main.tf:22", nil},
			{"aws_lb_listener.l", "default_action[0].forward[1].target", `"forward-green"`, "main.tf:35", nil},
			{"aws_lb_listener.l", "default_action[0].forward[0].weight", `1`, "main.tf:36", nil},
			{"aws_security_group.unknown", "ingress[0].from_port", "unknown", "main.tf:48", nil},
			{"aws_security_group.unknown", "ingress[0].protocol", `"tcp"`, "main.tf:49", nil},
		}},
		{"functions", "functions", Options{}, []check{
			{"aws_iam_policy.p", "name", `"policy-007"`, "main.tf:7", nil},
			{"aws_iam_policy.p", "policy", `"{\"Statement\":[{\"Action\":[\"s3:GetObject\"],\"Effect\":\"Allow\",\"Resource\":\"*\"}],\"Version\":\"2012-10-17\"}"`, "main.tf:8-15", nil},
			{"aws_thing.f", "tags", `{"Env":"prod","Team":"sec"}`, "main.tf:19", nil},
			{"aws_thing.f", "region", `"eu-west-1"`, "main.tf:20", nil},
			{"aws_thing.f", "fallback", `"none"`, "main.tf:21", nil},
			{"aws_thing.f", "subnet", `"10.0.240.0/20"`, "main.tf:22", nil},
			{"aws_thing.f", "subnets", `["10.1.0.0/20","10.1.16.0/20","10.1.32.0/24"]`, "main.tf:23", nil},
			{"aws_thing.f", "host", `"10.0.0.5"`, "main.tf:24", nil},
			{"aws_thing.f", "tried", `"fallback"`, "main.tf:30", nil},
			{"aws_thing.f", "can", `false`, "main.tf:31", nil},
			{"aws_thing.f", "uuid", "unknown", "main.tf:44", nil},
			{"aws_thing.f", "file", `"data line\n"`, "main.tf:46", nil},
			{"aws_thing.f", "missing", "unknown", "main.tf:47", nil},
			{"aws_thing.f", "outside", "unknown", "main.tf:48", nil},
			{"aws_thing.f", "template", `"hello world!"`, "main.tf:50", nil},
			{"aws_thing.f", "setproduct", `[["a",1],["a",2],["b",1],["b",2]]`, "main.tf:60", nil},
		}},
		{"modules", "modules", Options{}, []check{
			{"module.net.aws_vpc.main", "cidr_block", `"10.0.0.0/16"`, "modules/net/main.tf:6", nil},
			{"module.net.aws_subnet.s[1]", "cidr_block", `"10.0.1.0/24"`, "modules/net/main.tf:12", nil},
			{"module.net.aws_subnet.s[1]", "vpc_id", "unknown", "modules/net/main.tf:11", []string{"module.net.aws_vpc.main"}},
			{"module.net.module.inner.aws_security_group.this", "name", `"inner"`, "modules/sg/main.tf:10", nil},
			{"module.net.module.inner.aws_security_group.this", "vpc_id", "unknown", "modules/sg/main.tf:11", []string{"module.net.aws_vpc.main"}},
			{"module.sg[1].aws_security_group.this", "name", `"sg-1"`, "modules/sg/main.tf:10", nil},
			{`module.fe["a"].aws_security_group.this`, "name", `"alpha"`, "modules/sg/main.tf:10", nil},
			{`module.fe["a"].aws_security_group.this`, "vpc_id", `null`, "modules/sg/main.tf:11", nil},
			{"module.bucket.aws_s3_bucket.this", "bucket", `"downloaded"`, ".terraform/modules/bucket/main.tf:4", nil},
			{"aws_instance.app", "net_cidr", `"10.0.0.0/16"`, "main.tf:31", []string{"module.net.aws_vpc.main"}},
			{"aws_instance.app", "subnet_id", "unknown", "main.tf:30", []string{"module.net.aws_subnet.s"}},
			{"aws_instance.app", "fe_name", `"beta"`, "main.tf:33", []string{`module.fe["a"].aws_security_group.this`, `module.fe["b"].aws_security_group.this`}},
			{"aws_instance.app", "vpc_id", "unknown", "main.tf:34", nil},
			{"aws_instance.app", "bucket", `"downloaded"`, "main.tf:35", []string{"module.bucket.aws_s3_bucket.this"}},
		}},
		{"data sources", "data", Options{}, []check{
			{"aws_s3_bucket_policy.p", "bucket", "unknown", "main.tf:18", []string{"aws_s3_bucket.b"}},
			{"aws_s3_bucket_policy.p", "name", `"logs"`, "main.tf:19", []string{"aws_s3_bucket.b"}},
			{"aws_s3_bucket_policy.p", "policy", "unknown", "main.tf:20", []string{"data.aws_iam_policy_document.x"}},
			{"aws_s3_bucket_policy.p", "state", `"available"`, "main.tf:21", []string{"data.aws_availability_zones.azs"}},
			{"aws_s3_bucket_policy.p", "stmt", `["s3:GetObject"]`, "main.tf:22", []string{"data.aws_iam_policy_document.x"}},
			{"data.aws_iam_policy_document.x", "statement[0].resources", "cty.TupleVal([]cty.Value{cty.UnknownVal(cty.String).RefineNotNull()})", "main.tf:4", []string{"aws_s3_bucket.b"}},
			{"data.aws_availability_zones.azs[0]", "state", `"available"`, "main.tf:10", nil},
		}},
		{"module outside the root", "outside/root", Options{}, []check{
			{"module.shared.aws_kms_key.k", "description", `"from-root"`, "../shared/main.tf:4", nil},
		}},
		{"json syntax", "json", Options{}, []check{
			{"aws_security_group.sg", "name", `"from-json-x"`, "main.tf.json:10", nil},
			{"aws_security_group.sg", "ingress[0].from_port", `22`, "main.tf.json:11-13", nil},
			{"aws_security_group.sg", "lifecycle[0].ignore_changes", `["name"]`, "main.tf.json:14", nil},
			{"aws_instance.web[1]", "ami", `"ami-1"`, "main.tf.json:20", nil},
			{"aws_instance.web[0]", "sg", `"from-json-x"`, "main.tf.json:21", []string{"aws_security_group.sg"}},
			{"aws_instance.web[0]", "ports", `[22,443]`, "main.tf.json:22", nil},
		}},
		{"unknown values stay unknown", "unknown", Options{}, []check{
			{"aws_instance.counted", "ami", "unknown", "main.tf:15", nil},
			{"aws_instance.counted", "fixed", `"x"`, "main.tf:17", nil},
			{"aws_instance.each", "name", "unknown", "main.tf:23", nil},
			{"aws_instance.each", "cidr", `"10.0.0.0/16"`, "main.tf:24", []string{"aws_vpc.v"}},
			{"aws_instance.dep", "ami", "unknown", "main.tf:28", []string{"aws_instance.counted"}},
			{"aws_instance.dep", "concat", "unknown", "main.tf:30", []string{"aws_vpc.v"}},
			{"aws_instance.dep", "cond", "unknown", "main.tf:31", []string{"aws_vpc.v"}},
		}},
		// Attributes a resource's configuration does not set are known
		// after apply: unknown on every path to them, never an error.
		{"unset attributes are unknown", "computed", Options{}, []check{
			{`aws_route_table_association.a["a"]`, "subnet_id", "unknown", "main.tf:25", []string{"aws_subnet.public"}},
			{`aws_route_table_association.a["b"]`, "cidr", `"10.0.2.0/24"`, "main.tf:26", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "direct", "unknown", "main.tf:38", []string{"aws_subnet.counted"}},
			{"aws_thing.paths", "keyed", "unknown", "main.tf:39", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "splat", "cty.TupleVal([]cty.Value{cty.DynamicVal, cty.DynamicVal})", "main.tf:40", []string{"aws_subnet.counted"}},
			{"aws_thing.paths", "values", "unknown", "main.tf:41", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "for_ids", "cty.TupleVal([]cty.Value{cty.DynamicVal, cty.DynamicVal})", "main.tf:42", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "for_cidrs", `["10.0.1.0/24","10.0.2.0/24"]`, "main.tf:43", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "local_id", "unknown", "main.tf:44", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "local_cidr", `"10.0.2.0/24"`, "main.tf:45", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "first_arn", "unknown", "main.tf:46", []string{"aws_subnet.counted"}},
			{"aws_thing.paths", "index", "unknown", "main.tf:47", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "module_out", "unknown", "main.tf:48", []string{"aws_vpc.main"}},
			{"aws_thing.paths", "module_arn", "unknown", "main.tf:49", []string{"aws_subnet.public"}},
			{"aws_thing.paths", "ids", "cty.TupleVal([]cty.Value{cty.DynamicVal, cty.DynamicVal})", "main.tf:50", []string{"aws_subnet.counted"}},
			{"aws_thing.paths", "cidrs", `["10.0.10.0/24","10.0.11.0/24"]`, "main.tf:51", []string{"aws_subnet.counted"}},
			{"aws_instance.dyn", "network_interface[1].subnet_id", "unknown", "main.tf:64", []string{"aws_subnet.public"}},
			{"aws_instance.dyn", "network_interface[1].cidr", `"10.0.2.0/24"`, "main.tf:65", []string{"aws_subnet.public"}},
			{"module.m.aws_thing.inner", "subnet_id", "unknown", "mod/main.tf:5", []string{"aws_subnet.public"}},
			{"module.m.aws_thing.inner", "cidr", `"10.0.1.0/24"`, "mod/main.tf:6", []string{"aws_subnet.public"}},
			{"module.m.aws_thing.inner", "default_sg", "unknown", "mod/main.tf:7", []string{"aws_vpc.main"}},
		}},
		// Refs hold what the attribute's own expression uses, part by part
		// through locals, module inputs, each and dynamic iterators.
		{"refs are what the expression uses", "refs", Options{}, []check{
			{"module.two.aws_thing.t", "only_a", "unknown", "mod/main.tf:17", []string{"aws_vpc.main"}},
			{"module.two.aws_thing.t", "only_b", `"logs"`, "mod/main.tf:18", []string{"aws_s3_bucket.logs"}},
			{"module.two.aws_thing.t", "both", "unknown", "mod/main.tf:19", []string{"aws_s3_bucket.logs", "aws_vpc.main"}},
			{`module.tier["bastion"].aws_thing.t`, "only_a", `"bastion: Bastion"`, "mod/main.tf:17", nil},
			{`module.tier["bastion"].aws_thing.t`, "only_b", `"10.0.0.0/8"`, "mod/main.tf:18", nil},
			{`module.tier["bastion"].aws_thing.t`, "ingress[0].sgs", `[]`, "mod/main.tf:25", nil},
			{`module.tier["web"].aws_thing.t`, "only_a", `"web: Web"`, "mod/main.tf:17", nil},
			{`module.tier["web"].aws_thing.t`, "only_b", `"10.0.0.0/16"`, "mod/main.tf:18", []string{"aws_vpc.main"}},
			{`module.tier["web"].aws_thing.t`, "ingress[0].sgs", "cty.ListVal([]cty.Value{cty.UnknownVal(cty.String)})", "mod/main.tf:25", []string{"aws_security_group.alb"}},
			{`module.tier["web"].aws_thing.t`, "ingress[0].cidr", `"10.0.0.0/8"`, "mod/main.tf:26", nil},
			{`module.tier["web"].aws_thing.t`, "ingress[1].sgs", `[]`, "mod/main.tf:25", nil},
			{"module.counted[0].aws_thing.t", "only_b", "null", "mod/main.tf:18", nil},
			{"aws_thing.root", "web_cidr", `"10.0.0.0/16"`, "main.tf:52", []string{"aws_vpc.main"}},
			{"aws_thing.root", "bastion_cidr", `"10.0.0.0/8"`, "main.tf:53", nil},
			{"aws_thing.root", "all_tiers", `2`, "main.tf:54", []string{"aws_security_group.alb", "aws_vpc.main"}},
			{"aws_thing.root", "from_module", `"bastion: Bastion"`, "main.tf:55", nil},
			// Into a module with count: any instance's, never others.
			{"aws_thing.root", "from_counted", `"none"`, "main.tf:56", []string{"aws_vpc.main"}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := load(t, filepath.Join("testdata", c.dir), c.opts)
			for _, ch := range c.checks {
				r := findResource(st, ch.addr)
				if r == nil {
					t.Errorf("no resource %s", ch.addr)
					continue
				}
				a := findAttr(r, ch.attr)
				if a == nil {
					t.Errorf("%s: no attribute %s", ch.addr, ch.attr)
					continue
				}
				if got := valueString(a.Value); got != ch.value {
					t.Errorf("%s %s = %s, want %s", ch.addr, ch.attr, got, ch.value)
				}
				if got := a.Range.String(); got != ch.rng {
					t.Errorf("%s %s range %s, want %s", ch.addr, ch.attr, got, ch.rng)
				}
				if !reflect.DeepEqual(a.Refs, ch.refs) {
					t.Errorf("%s %s refs %q, want %q", ch.addr, ch.attr, a.Refs, ch.refs)
				}
			}
		})
	}
}

func addresses(st *model.State) []string {
	var out []string
	for _, r := range st.Resources {
		out = append(out, r.Address())
	}
	return out
}

func TestAddresses(t *testing.T) {
	cases := []struct {
		dir  string
		opts Options
		want []string
	}{
		{"count", Options{}, []string{
			"aws_subnet.s[0]", "aws_subnet.s[1]", "aws_subnet.s[2]",
			"aws_route_table_association.a[0]", "aws_route_table_association.a[1]", "aws_route_table_association.a[2]",
			"aws_eip.maybe[0]",
		}},
		{"foreach", Options{}, []string{
			`aws_s3_bucket.b["data"]`, `aws_s3_bucket.b["logs"]`,
			`aws_iam_user.u["alice"]`, `aws_iam_user.u["bob"]`,
			`aws_s3_bucket_versioning.v["data"]`, `aws_s3_bucket_versioning.v["logs"]`,
			"aws_s3_bucket_policy.logs",
		}},
		{"unknown", Options{}, []string{"aws_vpc.v", "aws_instance.counted", "aws_instance.each", "aws_instance.dep"}},
		// modules/x is called by app, so it is evaluated only through the call.
		{"tree", Options{}, []string{"aws_sns_topic.demo", "module.x.aws_sqs_queue.q", "aws_sns_topic.t"}},
		{"tree", Options{Exclude: []string{"examples"}}, []string{"module.x.aws_sqs_queue.q", "aws_sns_topic.t"}},
		{"modcycle", Options{}, []string{"aws_a.r", "module.b.aws_b.r"}},
		// A source attribute that is not a module call does not hide a root.
		{"fakesource", Options{}, []string{"aws_instance.i", "aws_sns_topic.not_a_module"}},
		// A module source the quick scan cannot read is still a module.
		{"escaped", Options{}, []string{"module.m.aws_sqs_queue.q"}},
		// for_each over a resource with for_each: the same keys.
		{"computed", Options{}, []string{
			"aws_vpc.main", `aws_subnet.public["a"]`, `aws_subnet.public["b"]`, "aws_subnet.counted[0]", "aws_subnet.counted[1]",
			`aws_route_table_association.a["a"]`, `aws_route_table_association.a["b"]`, "aws_thing.paths", "aws_instance.dyn",
			"module.m.aws_thing.inner",
		}},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			st := load(t, filepath.Join("testdata", c.dir), c.opts)
			if got := addresses(st); !reflect.DeepEqual(got, c.want) {
				t.Errorf("addresses:\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestErrorsAndNotes(t *testing.T) {
	cases := []struct {
		dir   string
		errs  []string // file:line: message prefix
		notes []string
	}{
		{"broken", []string{
			"bad.tf:3: Invalid expression",
			"bad.tf.json:4: Trailing comma in object",
			"broken.auto.tfvars:1: Invalid multi-line string",
			"broken.auto.tfvars:1: Unterminated template string",
			"eval.tf:2: Invalid operand",
			// One unterminated string: HCL reports each line it swallowed,
			// out of order; they come sorted.
			"unterminated.tf:3: Invalid multi-line string",
			"unterminated.tf:3: Unterminated template string",
			"unterminated.tf:4: Invalid multi-line string",
			"unterminated.tf:6: Invalid multi-line string",
			"unterminated.tf:7: Invalid multi-line string",
			"unterminated.tf:8: Invalid multi-line string",
		}, nil},
		{"cycles", []string{
			"main.tf:3: Cycle: local.a",
			"main.tf:13: Cycle: aws_a.x",
			"main.tf:17: Cycle: aws_self.s",
		}, nil},
		{"modcycle", []string{"b/main.tf:1: Module call cycle"}, nil},
		{"modules", nil, []string{
			`main.tf: module "vpc": remote source "terraform-aws-modules/vpc/aws" not downloaded; run terraform init to scan it`,
		}},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			st := load(t, filepath.Join("testdata", c.dir), Options{})
			if len(st.Errors) != len(c.errs) {
				t.Errorf("got %d errors %v, want %d", len(st.Errors), st.Errors, len(c.errs))
			}
			for i := 0; i < len(st.Errors) && i < len(c.errs); i++ {
				if got := st.Errors[i].Error(); !strings.HasPrefix(got, c.errs[i]) {
					t.Errorf("error %d = %q, want prefix %q", i, got, c.errs[i])
				}
			}
			var notes []string
			for _, n := range st.Notes {
				notes = append(notes, n.File+": "+n.Message)
			}
			if !reflect.DeepEqual(notes, c.notes) {
				t.Errorf("notes %q, want %q", notes, c.notes)
			}
		})
	}
}

// A file that does not parse contributes its errors and nothing else, as
// Terraform refuses it; the other files of its directory still load, and a
// file that parses but does not evaluate keeps what evaluates.
func TestBrokenFileKeepsTheRest(t *testing.T) {
	st := load(t, filepath.Join("testdata", "broken"), Options{})
	want := []string{"aws_s3_bucket.evalerr", "aws_s3_bucket.ok", "aws_s3_bucket.region"}
	if got := addresses(st); !reflect.DeepEqual(got, want) {
		// Not aws_s3_bucket.bad, .assets, .after (after an unterminated
		// string, with acl "public-read\n}") nor .json.
		t.Errorf("addresses %q, want %q", got, want)
	}
	r := findResource(st, "aws_s3_bucket.evalerr")
	if v, ok := r.Attr("other").String(); !ok || v != "still evaluated" {
		t.Errorf("other = %q, %v", v, ok)
	}
	// A variable file that does not parse gives no values either.
	if v, _ := findResource(st, "aws_s3_bucket.region").Attr("bucket").String(); v != "logs-us-east-1" {
		t.Errorf("bucket = %q, want the default region", v)
	}
	wantFiles := []string{"bad.tf", "bad.tf.json", "broken.auto.tfvars", "eval.tf", "good.tf", "unterminated.tf", "vars.tf"}
	if !reflect.DeepEqual(st.Files, wantFiles) {
		t.Errorf("files %q, want %q", st.Files, wantFiles)
	}
	for _, e := range st.Errors {
		if e.Line == 0 {
			t.Errorf("error without a line: %v", e)
		}
	}
}

func TestDedupeErrors(t *testing.T) {
	in := []finding.Error{
		{File: "b.tf", Line: 3, Message: "x"},
		{File: "a.tf", Line: 9, Message: "y"},
		{File: "a.tf", Line: 2, Message: "z"},
		{File: "b.tf", Line: 3, Message: "x"},
		{File: "a.tf", Line: 2, Message: "a"},
		{File: "a.tf", Line: 2, Message: "z"},
	}
	want := []finding.Error{
		{File: "a.tf", Line: 2, Message: "a"},
		{File: "a.tf", Line: 2, Message: "z"},
		{File: "a.tf", Line: 9, Message: "y"},
		{File: "b.tf", Line: 3, Message: "x"},
	}
	if got := dedupeErrors(in); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// An attribute written as jsonencode(x) or yamlencode(x) keeps x, which
// stays partly known when the encoded string cannot be.
func TestDecoded(t *testing.T) {
	st := load(t, filepath.Join("testdata", "encode"), Options{})
	r := findResource(st, "aws_s3_bucket_policy.p")
	cases := []struct {
		attr    string
		value   string
		decoded string // "" for cty.NilVal
	}{
		{"policy", "unknown", `cty.ObjectVal(map[string]cty.Value{"Statement":cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"Action":cty.StringVal("s3:GetObject"), "Effect":cty.StringVal("Allow"), "Principal":cty.StringVal("*"), "Resource":cty.UnknownVal(cty.String).RefineNotNull()})})})`},
		{"yaml", `"\"a\": \"x\"\n"`, `{"a":"x"}`},
		{"wrapped", `"{\"k\":\"v\"}"`, `{"k":"v"}`},
		{"nested", `"{\"K\":\"V\"}"`, ""},
		{"plain", `"x"`, ""},
		{"broken", "unknown", "unknown"},
	}
	for _, c := range cases {
		a := r.Attr(c.attr)
		if got := valueString(a.Value); got != c.value {
			t.Errorf("%s = %s, want %s", c.attr, got, c.value)
		}
		got := ""
		if a.Decoded != cty.NilVal {
			got = valueString(a.Decoded)
		}
		if got != c.decoded {
			t.Errorf("%s decoded = %s, want %s", c.attr, got, c.decoded)
		}
	}
	if got := r.Attr("policy").Refs; !reflect.DeepEqual(got, []string{"aws_s3_bucket.b"}) {
		t.Errorf("policy refs %q", got)
	}
	if len(st.Errors) != 1 || !strings.HasPrefix(st.Errors[0].Error(), "main.tf:19: Call to unknown function") {
		t.Errorf("errors %v, want the unknown function only", st.Errors)
	}
}

func TestLifecycle(t *testing.T) {
	dir := t.TempDir()
	src := `resource "aws_instance" "i" {
  count = 1
  ami   = "x"
  depends_on = [aws_vpc.v]
  provider   = aws.east
  lifecycle {
    ignore_changes        = [ami, tags["Name"], user_data]
    create_before_destroy = true
  }
}

resource "aws_instance" "all" {
  lifecycle {
    ignore_changes = all
  }
}

resource "aws_vpc" "v" {}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	st := load(t, dir, Options{})
	if len(st.Errors) != 0 {
		t.Fatalf("errors: %v", st.Errors)
	}
	r := findResource(st, "aws_instance.i[0]")
	for _, meta := range []string{"count", "depends_on", "provider"} {
		if r.Attr(meta) != nil {
			t.Errorf("meta-argument %s kept as an attribute", meta)
		}
	}
	lc := r.Body.Block("lifecycle")
	if lc == nil {
		t.Fatal("no lifecycle block")
	}
	if got := valueString(lc.Attr("ignore_changes").Value); got != `["ami","tags[\"Name\"]","user_data"]` {
		t.Errorf("ignore_changes = %s", got)
	}
	if got := lc.Attr("ignore_changes").Range.String(); got != "main.tf:7" {
		t.Errorf("ignore_changes range %s", got)
	}
	if b, ok := lc.Attr("create_before_destroy").Bool(); !ok || !b {
		t.Errorf("create_before_destroy = %v %v", b, ok)
	}
	all := findResource(st, "aws_instance.all").Body.Block("lifecycle")
	if got := valueString(all.Attr("ignore_changes").Value); got != `"all"` {
		t.Errorf("ignore_changes = all gave %s", got)
	}
}

func TestLoadSingleFileAndMissing(t *testing.T) {
	st := load(t, filepath.Join("testdata", "locals", "main.tf"), Options{})
	if got := addresses(st); !reflect.DeepEqual(got, []string{"aws_s3_bucket.b"}) {
		t.Errorf("addresses %q", got)
	}
	if r := st.Resources[0]; r.Range != (finding.Range{File: "main.tf", StartLine: 13, EndLine: 16}) {
		t.Errorf("range %v", r.Range)
	}
	if _, err := Load(context.Background(), filepath.Join("testdata", "no-such-dir"), Options{}); err == nil {
		t.Error("missing root: want an error")
	}
}

func TestIsTerraformFile(t *testing.T) {
	for rel, want := range map[string]bool{
		"main.tf": true, "a/b/x.tf.json": true, "terraform.tfvars": false,
		"x.tf.bak": false, "x.json": false, "tf": false,
	} {
		if got := IsTerraformFile(rel); got != want {
			t.Errorf("IsTerraformFile(%q) = %v", rel, got)
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, filepath.Join("testdata", "modules"), Options{}); err == nil {
		t.Error("want the context's error")
	}
}

func TestParseRawVar(t *testing.T) {
	r := &run{}
	untyped := &variable{name: "x", ty: cty.DynamicPseudoType}
	str := &variable{name: "x", ty: cty.String, typed: true}
	list := &variable{name: "x", ty: cty.List(cty.String), typed: true}
	cases := []struct {
		decl *variable
		raw  string
		want string
	}{
		{untyped, "us-east-1", `"us-east-1"`},
		{untyped, "foo", `"foo"`},
		{untyped, "3", `3`},
		{untyped, "true", `true`},
		{untyped, `["a", "b"]`, `["a","b"]`},
		{untyped, `{k = "v"}`, `{"k":"v"}`},
		{untyped, `upper("a")`, `"upper(\"a\")"`},
		{str, "007", `"007"`},
		{str, `["a"]`, `"[\"a\"]"`},
		{list, `["a"]`, `["a"]`},
	}
	for _, c := range cases {
		if got := valueString(r.parseRawVar(c.decl, c.raw)); got != c.want {
			t.Errorf("parseRawVar(%s, %q) = %s, want %s", c.decl.ty.FriendlyName(), c.raw, got, c.want)
		}
	}
}
