package policy_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/policy"
	"github.com/fixity-sec/fixity/pkg/scan"
	"github.com/zclconf/go-cty/cty"
)

func attrs(rng model.Range, kv map[string]cty.Value) map[string]*model.Attribute {
	out := map[string]*model.Attribute{}
	for k, v := range kv {
		out[k] = &model.Attribute{Name: k, Value: v, Range: rng}
	}
	return out
}

func block(typ string, kv map[string]cty.Value, children ...*model.Block) *model.Block {
	return &model.Block{Type: typ, Attrs: attrs(model.Range{}, kv), Blocks: children}
}

func TestInput(t *testing.T) {
	tests := []struct {
		name string
		res  *model.Resource
		want string // the resource's JSON
	}{
		{
			name: "terraform values, unknown, null and unset",
			res: &model.Resource{
				Format: "terraform", Type: "aws_instance", Name: "web", Module: "module.app", Key: "[0]",
				Range: model.Range{File: "app/main.tf", StartLine: 3, EndLine: 20},
				Body: block("", map[string]cty.Value{
					"ami":           cty.UnknownVal(cty.String),
					"key_name":      cty.NullVal(cty.String),
					"instance_type": cty.StringVal("t3.micro"),
					"count":         cty.NumberIntVal(3),
					"ratio":         cty.NumberFloatVal(0.25),
					"huge":          cty.MustParseNumberVal("123456789012345678901234567890"),
					"monitoring":    cty.True,
					"sensitive":     cty.StringVal("s3cret").Mark("sensitive"),
					"security_groups": cty.TupleVal([]cty.Value{
						cty.StringVal("sg-1"), cty.UnknownVal(cty.String),
					}),
					"tags": cty.MapVal(map[string]cty.Value{
						"Name":               cty.StringVal("web"),
						"kubernetes.io/role": cty.UnknownVal(cty.String),
					}),
					"everything_unknown": cty.DynamicVal,
				},
					block("ebs_block_device", map[string]cty.Value{"kms_key_id": cty.UnknownVal(cty.String)}),
					block("ebs_block_device", map[string]cty.Value{"volume_size": cty.NumberIntVal(20)}),
					block("metadata_options", map[string]cty.Value{"http_tokens": cty.StringVal("required")}),
				),
			},
			want: `{
				"format": "terraform", "type": "aws_instance", "name": "web",
				"address": "module.app.aws_instance.web[0]", "file": "app/main.tf", "line": 3, "end_line": 20,
				"module": "module.app", "mode": "managed",
				"attributes": {
					"ami": null, "key_name": null, "instance_type": "t3.micro",
					"count": 3, "ratio": 0.25, "huge": 123456789012345678901234567890,
					"monitoring": true, "sensitive": "s3cret",
					"security_groups": ["sg-1", null],
					"tags": {"Name": "web", "kubernetes.io/role": null},
					"everything_unknown": null,
					"ebs_block_device": [{"kms_key_id": null}, {"volume_size": 20}],
					"metadata_options": [{"http_tokens": "required"}]
				},
				"unknown": ["ami", "ebs_block_device[0].kms_key_id", "everything_unknown",
					"security_groups[1]", "tags[\"kubernetes.io/role\"]"],
				"decoded": {}, "templates": {}
			}`,
		},
		{
			name: "blocks after an attribute of the same name, data source",
			res: &model.Resource{
				Format: "terraform", Mode: model.Data, Type: "aws_iam_policy_document", Name: "p",
				Body: block("", map[string]cty.Value{
					"statement": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"sid": cty.StringVal("A")})}),
				}, block("statement", map[string]cty.Value{"sid": cty.StringVal("B")})),
			},
			want: `{
				"format": "terraform", "type": "aws_iam_policy_document", "name": "p",
				"address": "data.aws_iam_policy_document.p", "file": "", "line": 0, "end_line": 0,
				"module": "", "mode": "data",
				"attributes": {"statement": [{"sid": "A"}, {"sid": "B"}]},
				"unknown": [],
				"decoded": {}, "templates": {}
			}`,
		},
		{
			name: "documents in strings and template text",
			res: &model.Resource{
				Format: "terraform", Type: "aws_iam_role", Name: "app",
				Body: with(block("", map[string]cty.Value{
					"name":        cty.StringVal("app"),
					"not_json":    cty.StringVal(" [not json"),
					"number_text": cty.StringVal("42"),
					// A known JSON string, as a heredoc gives.
					"assume_role_policy": cty.StringVal(`{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`),
					"statement":          cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"sid": cty.StringVal("A")})}),
				},
					block("inline_policy", map[string]cty.Value{"name": cty.StringVal("empty")}),
					with(block("inline_policy", map[string]cty.Value{"name": cty.StringVal("public")}),
						&model.Attribute{Name: "policy", Value: cty.UnknownVal(cty.String), Decoded: cty.ObjectVal(map[string]cty.Value{
							"Statement": cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
								"Effect":    cty.StringVal("Allow"),
								"Principal": cty.StringVal("*"),
								"Resource":  cty.UnknownVal(cty.String),
								"Condition": cty.ObjectVal(map[string]cty.Value{
									"StringEquals": cty.ObjectVal(map[string]cty.Value{"aws:SourceArn": cty.UnknownVal(cty.String)}),
								}),
							})}),
						})},
					),
					// After an attribute of the same name: at the block's own index.
					with(block("statement", nil), &model.Attribute{Name: "doc", Value: cty.StringVal(`{"a": "b"}`)}),
				),
					// A known jsonencode: the value before encoding, marks dropped.
					&model.Attribute{Name: "policy", Value: cty.StringVal(`{"Action":"*"}`),
						Decoded: cty.ObjectVal(map[string]cty.Value{"Action": cty.StringVal("*").Mark("sensitive")})},
					// jsonencode of a value not known at all: unknown says it all.
					&model.Attribute{Name: "wholly_unknown", Value: cty.UnknownVal(cty.String), Decoded: cty.DynamicVal},
					&model.Attribute{Name: "user_data", Value: cty.UnknownVal(cty.String), Template: "#!/bin/sh\nKEY=AKIA\nregion=\x00\n\x00"},
					// No known text, or a known value: no template.
					&model.Attribute{Name: "only_unknown", Value: cty.UnknownVal(cty.String), Template: "\x00\x00"},
					&model.Attribute{Name: "known_text", Value: cty.StringVal("x"), Template: "x"},
				),
			},
			want: `{
				"format": "terraform", "type": "aws_iam_role", "name": "app",
				"address": "aws_iam_role.app", "file": "", "line": 0, "end_line": 0,
				"module": "", "mode": "managed",
				"attributes": {
					"name": "app", "not_json": " [not json", "number_text": "42",
					"assume_role_policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}",
					"policy": "{\"Action\":\"*\"}",
					"wholly_unknown": null, "user_data": null, "only_unknown": null, "known_text": "x",
					"inline_policy": [{"name": "empty"}, {"name": "public", "policy": null}],
					"statement": [{"sid": "A"}, {"doc": "{\"a\": \"b\"}"}]
				},
				"unknown": ["inline_policy[1].policy",
					"inline_policy[1].policy.Statement[0].Condition.StringEquals[\"aws:SourceArn\"]",
					"inline_policy[1].policy.Statement[0].Resource",
					"only_unknown", "user_data", "wholly_unknown"],
				"decoded": {
					"assume_role_policy": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
					"policy": {"Action": "*"},
					"inline_policy": [{}, {"policy": {"Statement": [{
						"Effect": "Allow", "Principal": "*", "Resource": null,
						"Condition": {"StringEquals": {"aws:SourceArn": null}}
					}]}}],
					"statement": [{}, {"doc": {"a": "b"}}]
				},
				"templates": {
					"user_data": ["#!/bin/sh\nKEY=AKIA\nregion=", null, "\n", null]
				}
			}`,
		},
		{
			name: "kubernetes keeps the manifest's shape",
			res: &model.Resource{
				Format: "kubernetes", Type: "Deployment", Name: "web", Label: "prod/Deployment/web",
				Range: model.Range{File: "deploy.yaml", StartLine: 1, EndLine: 30},
				Body: block("", map[string]cty.Value{
					"apiVersion": cty.StringVal("apps/v1"), "kind": cty.StringVal("Deployment"),
				},
					block("metadata", map[string]cty.Value{"name": cty.StringVal("web"), "namespace": cty.StringVal("prod")}),
					block("spec", map[string]cty.Value{"replicas": cty.NumberIntVal(2)},
						block("template", nil,
							block("spec", nil,
								seq(block("containers", map[string]cty.Value{
									"name": cty.StringVal("app"), "image": cty.StringVal("nginx:1.27"),
									"args": cty.TupleVal([]cty.Value{cty.StringVal("-g")}),
								},
									block("securityContext", map[string]cty.Value{"privileged": cty.False}),
									seq(block("env", map[string]cty.Value{"name": cty.StringVal("A")})),
								)),
								seq(block("volumes", map[string]cty.Value{"name": cty.StringVal("data")}, block("emptyDir", nil))),
							),
						),
					),
				),
			},
			want: `{
				"format": "kubernetes", "type": "Deployment", "name": "web",
				"address": "prod/Deployment/web", "file": "deploy.yaml", "line": 1, "end_line": 30,
				"module": "", "mode": "managed",
				"attributes": {
					"apiVersion": "apps/v1", "kind": "Deployment",
					"metadata": {"name": "web", "namespace": "prod"},
					"spec": {"replicas": 2, "template": {"spec": {
						"containers": [{"name": "app", "image": "nginx:1.27", "args": ["-g"],
							"securityContext": {"privileged": false},
							"env": [{"name": "A"}]}],
						"volumes": [{"name": "data", "emptyDir": {}}]
					}}}
				},
				"unknown": [],
				"decoded": {}, "templates": {}
			}`,
		},
		{
			name: "dockerfile instructions in order",
			res: &model.Resource{
				Format: "dockerfile", Type: "dockerfile", Name: "Dockerfile", Label: "Dockerfile",
				Body: block("", nil,
					block("arg", map[string]cty.Value{"args": cty.TupleVal([]cty.Value{cty.StringVal("V=1")})}),
					block("stage", map[string]cty.Value{"name": cty.StringVal(""), "index": cty.NumberIntVal(0)},
						block("from", map[string]cty.Value{"args": cty.TupleVal([]cty.Value{cty.StringVal("alpine")})}),
						block("run", map[string]cty.Value{"args": cty.TupleVal([]cty.Value{cty.StringVal("a")})}),
						block("user", map[string]cty.Value{"args": cty.TupleVal([]cty.Value{cty.StringVal("app")})}),
						block("run", map[string]cty.Value{"args": cty.TupleVal([]cty.Value{cty.StringVal("b")})}),
					),
				),
			},
			want: `{
				"format": "dockerfile", "type": "dockerfile", "name": "Dockerfile",
				"address": "Dockerfile", "file": "", "line": 0, "end_line": 0,
				"module": "", "mode": "managed",
				"attributes": {
					"arg": [{"args": ["V=1"]}],
					"stage": [{
						"name": "", "index": 0,
						"from": [{"instruction": "from", "args": ["alpine"]}],
						"run": [{"instruction": "run", "args": ["a"]}, {"instruction": "run", "args": ["b"]}],
						"user": [{"instruction": "user", "args": ["app"]}],
						"instructions": [
							{"instruction": "from", "args": ["alpine"]},
							{"instruction": "run", "args": ["a"]},
							{"instruction": "user", "args": ["app"]},
							{"instruction": "run", "args": ["b"]}
						]
					}]
				},
				"unknown": [],
				"decoded": {}, "templates": {}
			}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := policy.Input(&model.State{Resources: []*model.Resource{tt.res}})
			rs, _ := in["resources"].([]any)
			if len(rs) != 1 {
				t.Fatalf("input has %d resources, want 1", len(rs))
			}
			got := normalize(t, rs[0])
			want := normalize(t, json.RawMessage(tt.want))
			if !reflect.DeepEqual(got, want) {
				gb, _ := json.MarshalIndent(got, "", "  ")
				wb, _ := json.MarshalIndent(want, "", "  ")
				t.Errorf("input =\n%s\nwant\n%s", gb, wb)
			}
		})
	}
}

// normalize round-trips v through JSON so that numbers compare as numbers.
func normalize(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInputDistinguishes checks, from Rego, that a policy can tell an
// unknown value from a null one and from an unset one.
func TestInputDistinguishes(t *testing.T) {
	st := &model.State{Resources: []*model.Resource{
		res("aws_instance", "unknown", 1, map[string]cty.Value{"ami": cty.UnknownVal(cty.String)}),
		res("aws_instance", "null", 10, map[string]cty.Value{"ami": cty.NullVal(cty.String)}),
		res("aws_instance", "unset", 20, nil),
		res("aws_instance", "set", 30, map[string]cty.Value{"ami": cty.StringVal("ami-1")}),
	}}
	got := lines(mustEval(t, load(t, "testdata/input"), st))
	// In OPA's set order, by message.
	want := []string{
		`test.input.deny HIGH main.tf:10-15 aws_instance.null "null"`,
		`test.input.deny HIGH main.tf:30-35 aws_instance.set "set"`,
		`test.input.deny HIGH main.tf:1-6 aws_instance.unknown "unknown"`,
		`test.input.deny HIGH main.tf:20-25 aws_instance.unset "unset"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestInputDocuments runs a policy over real Terraform and CloudFormation
// whose policy documents and user data are partly known before apply: it
// reads the documents in decoded, their unknown parts in unknown, and the
// literal text around unknown interpolations in templates.
func TestInputDocuments(t *testing.T) {
	st, err := scan.Load(context.Background(), scan.Options{Root: "testdata/documents/fixtures"})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Errors) > 0 {
		t.Fatalf("loading: %v", st.Errors)
	}
	got := lines(mustEval(t, load(t, "testdata/documents"), st))
	// In OPA's set order, by message.
	want := []string{
		// jsonencode with an ARN known only after apply, in CloudFormation
		// and Terraform; wholly known, and a heredoc.
		`test.documents.deny HIGH template.yaml:6-14 Everything (AWS::IAM::ManagedPolicy) "Everything (AWS::IAM::ManagedPolicy) allows every action"`,
		`test.documents.deny HIGH main.tf:39-47 aws_iam_policy.heredoc "aws_iam_policy.heredoc allows every action"`,
		`test.documents.deny HIGH main.tf:26-36 aws_iam_policy.known "aws_iam_policy.known allows every action"`,
		`test.documents.deny HIGH main.tf:13-23 aws_iam_policy.partly_known "aws_iam_policy.partly_known allows every action"`,
		// Principal "*" in the second inline_policy block.
		`test.documents.deny HIGH main.tf:63-90 aws_iam_role.app "aws_iam_role.app allows any principal (inline_policy.1.policy)"`,
		// Keys beside unknown interpolations, the second inside base64encode.
		`test.documents.deny HIGH main.tf:93-101 aws_instance.web "aws_instance.web: access key AKIAQWERTYUIOPASDFGH in the template of user_data"`,
		`test.documents.deny HIGH main.tf:104-107 aws_launch_template.web "aws_launch_template.web: access key AKIAZXCVBNMLKJHGFDSA in the template of user_data"`,
		// Unknown parts of documents, by their path in unknown.
		`test.documents.warn LOW template.yaml:6-14 Everything (AWS::IAM::ManagedPolicy) "Everything (AWS::IAM::ManagedPolicy): Resource of statement 0 is known only after apply"`,
		`test.documents.warn LOW main.tf:50-60 aws_iam_policy.narrow "aws_iam_policy.narrow: Resource of statement 0 is known only after apply"`,
		`test.documents.warn LOW main.tf:13-23 aws_iam_policy.partly_known "aws_iam_policy.partly_known: Resource of statement 0 is known only after apply"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestInputEmpty(t *testing.T) {
	got, err := json.Marshal(policy.Input(&model.State{}))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"resources":[]}` {
		t.Errorf("Input(empty) = %s", got)
	}
	// A resource without a body still converts.
	in := policy.Input(&model.State{Resources: []*model.Resource{{Type: "aws_vpc", Name: "v"}}})
	r := in["resources"].([]any)[0].(map[string]any)
	if a, ok := r["attributes"].(map[string]any); !ok || len(a) != 0 {
		t.Errorf("attributes of a bodiless resource = %#v", r["attributes"])
	}
}

// with adds attributes to a block.
func with(b *model.Block, as ...*model.Attribute) *model.Block {
	for _, a := range as {
		b.Attrs[a.Name] = a
	}
	return b
}

// seq marks a block as one element of a list of objects, as the
// Kubernetes loader does.
func seq(b *model.Block) *model.Block {
	b.Seq = true
	return b
}
