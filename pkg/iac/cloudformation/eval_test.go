package cloudformation

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// exprTemplate wraps one expression as the Value of an SSM parameter, in a
// template with parameters, mappings, conditions and resources to refer to.
const exprTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: dev
  Port:
    Type: Number
    Default: 22
  NoDefault:
    Type: String
  Zones:
    Type: CommaDelimitedList
    Default: "a, b"
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/ami
  Self:
    Type: String
    Default: !Ref Self
Mappings:
  Regions:
    eu:
      ami: ami-eu
      zones: [eu-1, eu-2]
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  IsProd: {"Fn::Equals": [{"Ref": "Env"}, "prod"]}
  Unknown: !Equals [!Ref NoDefault, x]
  DevAndUnknown: !And [!Condition IsDev, {Condition: Unknown}]
  ProdAndUnknown: !And [{Condition: IsProd}, !Condition Unknown]
  DevOrUnknown: !Or [!Condition Unknown, !Condition IsDev]
  NotDev: !Not [!Condition IsDev]
  Loop: !Condition Loop
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Sub:
    Type: AWS::SNS::Subscription
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: EXPR
`

func TestIntrinsics(t *testing.T) {
	tests := []struct {
		expr, want, refs string
	}{
		// Ref: parameters, pseudo parameters, resources.
		{`!Ref Env`, `"dev"`, ""},
		{`{"Ref": "Env"}`, `"dev"`, ""},
		{`{Ref: Port}`, `"22"`, ""},
		{`!Ref NoDefault`, `?`, ""},
		{`!Ref Ami`, `?`, ""},
		{`!Ref Self`, `?`, ""},
		{`!Ref Zones`, `["a", "b"]`, ""},
		{`!Ref AWS::Region`, `?`, ""},
		{`!Ref AWS::AccountId`, `?`, ""},
		{`!Ref AWS::Partition`, `"aws"`, ""},
		{`!Ref Bucket`, `?`, "aws_s3_bucket.Bucket"},
		{`!Ref Sub`, `?`, "cloudformation_aws_sns_subscription.Sub"},
		{`!Ref Missing`, `?`, ""},
		{`!GetAtt Bucket.Arn`, `?`, "aws_s3_bucket.Bucket"},
		{`{"Fn::GetAtt": ["Bucket", "Arn"]}`, `?`, "aws_s3_bucket.Bucket"},
		{`!GetAtt [Bucket, !Ref Env]`, `?`, "aws_s3_bucket.Bucket"},
		// Fn::Sub, both forms.
		{`!Sub "${Env}-app"`, `"dev-app"`, ""},
		{`!Sub "${ Env }"`, `"dev"`, ""},
		{`!Sub "${!Literal} ${Env}"`, `"${Literal} dev"`, ""},
		{`!Sub "arn:${AWS::Partition}:s3:::x"`, `"arn:aws:s3:::x"`, ""},
		{`!Sub "arn:${AWS::Partition}:s3:::${AWS::AccountId}"`, `?`, ""},
		{`!Sub "${Bucket.Arn}/*"`, `?`, "aws_s3_bucket.Bucket"},
		{`!Sub "${Bucket}"`, `?`, "aws_s3_bucket.Bucket"},
		{`!Sub ["${A}:${Env}", {A: !Ref Port}]`, `"22:dev"`, ""},
		{`{"Fn::Sub": ["${A}", {"A": {"Fn::GetAtt": ["Bucket", "Arn"]}}]}`, `?`, "aws_s3_bucket.Bucket"},
		{`!Sub "no vars, ${unterminated"`, `"no vars, ${unterminated"`, ""},
		{`!Sub "{{resolve:ssm:/x}}"`, `?`, ""},
		// Join, Select, Split.
		{`!Join [",", [a, !Ref Env]]`, `"a,dev"`, ""},
		{`!Join ["-", !Ref Zones]`, `"a-b"`, ""},
		{`!Join ["", [x, !Ref Bucket]]`, `?`, "aws_s3_bucket.Bucket"},
		{`!Select [1, [a, b, c]]`, `"b"`, ""},
		{`!Select ["0", !Split [",", "x,y"]]`, `"x"`, ""},
		{`!Select [5, [a]]`, `?`, ""},
		{`!Select [0, !GetAZs ""]`, `?`, ""},
		{`!Split [",", "a,b"]`, `["a", "b"]`, ""},
		{`!Split [",", !Ref NoDefault]`, `?`, ""},
		// FindInMap, with the optional default.
		{`!FindInMap [Regions, eu, ami]`, `"ami-eu"`, ""},
		{`!FindInMap [Regions, eu, zones]`, `["eu-1", "eu-2"]`, ""},
		{`!FindInMap [Regions, !Ref AWS::Region, ami]`, `?`, ""},
		{`!FindInMap [Regions, us, ami]`, `?`, ""},
		{`!FindInMap [Regions, us, ami, {DefaultValue: fallback}]`, `"fallback"`, ""},
		// If and conditions.
		{`!If [IsDev, yes, no]`, `"yes"`, ""},
		{`!If [IsProd, yes, no]`, `"no"`, ""},
		{`!If [Unknown, !Ref Bucket, no]`, `?`, "aws_s3_bucket.Bucket"},
		{`!If [DevAndUnknown, a, b]`, `?`, ""},
		{`!If [ProdAndUnknown, a, b]`, `"b"`, ""},
		{`!If [DevOrUnknown, a, b]`, `"a"`, ""},
		{`!If [NotDev, a, b]`, `"b"`, ""},
		{`!If [Loop, a, b]`, `?`, ""},
		{`!If [Undefined, a, b]`, `?`, ""},
		{`!Equals [80, "80"]`, `true`, ""},
		{`!Not [!Equals [a, b]]`, `true`, ""},
		{`!And [!Condition IsDev, !Equals [1, "1"]]`, `true`, ""},
		// Encoding and the rest.
		{`!Base64 hi`, `"aGk="`, ""},
		{`{"Fn::Base64": {"Fn::Sub": "${Env}"}}`, `"ZGV2"`, ""},
		{`!Base64 {"Fn::Join": ["", [!Ref AWS::StackName]]}`, `?`, ""},
		{`!Cidr [10.0.0.0/16, 2, 8]`, `["10.0.0.0/24", "10.0.1.0/24"]`, ""},
		{`!Cidr ["2001:db8::/56", 2, 64]`, `["2001:db8::/64", "2001:db8:0:1::/64"]`, ""},
		{`!Cidr [10.0.0.0/24, 300, 1]`, `?`, ""},
		{`!Cidr [!GetAtt Bucket.Cidr, 2, 8]`, `?`, "aws_s3_bucket.Bucket"},
		{`!GetAZs ""`, `?`, ""},
		{`!ImportValue shared-vpc`, `?`, ""},
		{`!ImportValue {"Fn::Sub": "${Bucket}-x"}`, `?`, "aws_s3_bucket.Bucket"},
		{`!Transform {Name: AWS::Include, Parameters: {Location: s3://x}}`, `?`, ""},
		{`!Length [a, b]`, `2`, ""},
		{`!ToJsonString {a: 1, b: [x]}`, `"{\"a\":1,\"b\":[\"x\"]}"`, ""},
		{`!NoSuchFunction x`, `?`, ""},
		// Collections, NoValue, nesting.
		{`[a, !Ref AWS::NoValue, b]`, `["a", "b"]`, ""},
		{`{k: !Ref AWS::NoValue, j: 1}`, `{j: 1}`, ""},
		{`[!Ref Bucket, x]`, `[?, "x"]`, "aws_s3_bucket.Bucket"},
		{`!Sub ["${X}", {X: !Join ["", [!Select [0, !Split ["/", "a/b"]], "z"]]}]`, `"az"`, ""},
		{`{"Fn::If": ["IsDev", {"Fn::Join": ["", ["d", {"Ref": "Env"}]]}, "p"]}`, `"ddev"`, ""},
		{`"{{resolve:secretsmanager:db:SecretString:password}}"`, `?`, ""},
		{`0x1F`, `"0x1F"`, ""},
		{`1e3`, `1000`, ""},
		{`~`, `null`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			st := loadText(t, strings.Replace(exprTemplate, "EXPR", tt.expr, 1), Options{})
			// CloudFormation rejects these: each is one error (see
			// TestBadIntrinsics), and its value is unknown.
			rejected := map[string]bool{`!Ref Missing`: true, `!If [Undefined, a, b]`: true, `!NoSuchFunction x`: true}
			if rejected[tt.expr] && len(st.Errors) != 1 || !rejected[tt.expr] && len(st.Errors) > 0 {
				t.Fatalf("errors: %v", st.Errors)
			}
			p := find(st, "aws_ssm_parameter", "Param")
			if p == nil {
				t.Fatalf("no parameter resource in\n%s", dump(st))
			}
			a := p.Attr("value")
			if a == nil {
				t.Fatalf("value not set")
			}
			if got := render(a.Value); got != tt.want {
				t.Errorf("value = %s, want %s", got, tt.want)
			}
			if got := strings.Join(a.Refs, ","); got != tt.refs {
				t.Errorf("refs = %q, want %q", got, tt.refs)
			}
			if a.Range.StartLine != 43 {
				t.Errorf("range = %v, want line 43", a.Range)
			}
		})
	}
}

// TestNoValueRemovesProperty: Ref AWS::NoValue, directly or through a
// decided Fn::If, removes the property.
func TestNoValueRemovesProperty(t *testing.T) {
	for _, expr := range []string{`!Ref AWS::NoValue`, `!If [IsDev, !Ref AWS::NoValue, x]`} {
		st := loadText(t, strings.Replace(exprTemplate, "EXPR", expr, 1), Options{})
		if a := find(st, "aws_ssm_parameter", "Param").Attr("value"); a != nil {
			t.Errorf("%s: value = %s, want no attribute", expr, render(a.Value))
		}
	}
}

// TestParamPrecedence: --cfn-params wins over the default; a parameter
// with neither is unknown.
func TestParamPrecedence(t *testing.T) {
	const tmpl = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.0.0/8"}
  Open: {Type: String}
Resources:
  P:
    Type: AWS::SSM::Parameter
    Properties:
      Name: !Ref Env
      Value: !Join [";", !Ref Cidrs]
      Description: !Ref Open
`
	tests := []struct {
		params            map[string]string
		name, value, desc string
	}{
		{nil, `"dev"`, `"10.0.0.0/8"`, `?`},
		{map[string]string{"Env": "prod"}, `"prod"`, `"10.0.0.0/8"`, `?`},
		{map[string]string{"Cidrs": "0.0.0.0/0, ::/0", "Open": ""}, `"dev"`, `"0.0.0.0/0;::/0"`, `""`},
	}
	for _, tt := range tests {
		st := loadText(t, tmpl, Options{Params: tt.params})
		p := find(st, "aws_ssm_parameter", "P")
		got := render(p.Attr("name").Value) + " " + render(p.Attr("value").Value) + " " + render(p.Attr("description").Value)
		if want := tt.name + " " + tt.value + " " + tt.desc; got != want {
			t.Errorf("params %v: got %s, want %s", tt.params, got, want)
		}
	}
}

// TestResourceConditions: a resource whose condition is known false is not
// created; an undecided one is kept.
func TestResourceConditions(t *testing.T) {
	const tmpl = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
  Flag: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Maybe: !Equals [!Ref Flag, "true"]
Resources:
  ProdOnly: {Type: AWS::SNS::Topic, Condition: IsProd}
  DevOnly: {Type: AWS::SNS::Topic, Condition: IsDev}
  MaybeTopic: {Type: AWS::SNS::Topic, Condition: Maybe}
`
	for params, want := range map[string]string{
		"":     "DevOnly MaybeTopic",
		"prod": "ProdOnly MaybeTopic",
	} {
		opts := Options{}
		if params != "" {
			opts.Params = map[string]string{"Env": params}
		}
		st := loadText(t, tmpl, opts)
		var got []string
		for _, r := range st.Resources {
			got = append(got, r.Name)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("Env=%q: resources %v, want %s", params, got, want)
		}
	}
}

// TestUnknownProperties: when a nested configuration (or all properties)
// is unknown, its attributes are unknown rather than missing, so rules
// about something missing do not fire on a guess.
func TestUnknownProperties(t *testing.T) {
	const tmpl = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Flag: {Type: String}
Conditions:
  Maybe: !Equals [!Ref Flag, "true"]
Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: !If [Maybe, {HttpTokens: required}, {HttpTokens: optional}]
  Bucket:
    Type: AWS::S3::Bucket
    Properties: !If [Maybe, {BucketName: a}, {BucketName: b}]
`
	st := loadText(t, tmpl, Options{})
	lt := find(st, "aws_launch_template", "Template")
	if a := lt.Body.Block("metadata_options").Attr("http_tokens"); a == nil || a.Value.IsKnown() {
		t.Errorf("http_tokens should be unknown:\n%s", dump(st))
	}
	if find(st, "aws_s3_bucket_public_access_block", "Bucket") == nil ||
		find(st, "aws_s3_bucket", "Bucket").Body.Block("server_side_encryption_configuration") == nil {
		t.Errorf("unknown bucket properties should give unknown companions and blocks:\n%s", dump(st))
	}
}

func TestReadParams(t *testing.T) {
	want := map[string]string{"Env": "prod", "Port": "22", "Cidrs": "10.0.0.0/8,192.168.0.0/16", "Debug": "false"}
	for _, name := range []string{"object.json", "cli.json", "pipeline.json", "params.yaml"} {
		got, err := ReadParams(filepath.Join("testdata", "params", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(got) != len(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, got[k], v)
			}
		}
	}
	for name, msg := range map[string]string{
		"missing.json":   "no such file",
		"broken.json":    "broken.json:3:",
		"wrong.json":     "wrong.json: not a parameter file",
		"nokey.json":     "nokey.json: element 0 has no ParameterKey",
		"nested.json":    "nested.json: parameter A: value is not",
		"notobject.json": "notobject.json: element 0 is not an object",
	} {
		path := filepath.Join("testdata", "params", name)
		_, err := ReadParams(path)
		if err == nil || !strings.Contains(err.Error(), msg) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error %v, want one naming the file and saying %q", name, err, msg)
		}
	}
	if _, err := os.Stat(filepath.Join("testdata", "params", "missing.json")); err == nil {
		t.Fatal("missing.json must not exist")
	}
}

// TestBadIntrinsics: a function call CloudFormation would reject is an
// error on its line, not a silently unknown value; the rest of the
// template is still loaded.
func TestBadIntrinsics(t *testing.T) {
	line := strings.Count(exprTemplate[:strings.Index(exprTemplate, "EXPR")], "\n") + 1
	ok := loadText(t, strings.Replace(exprTemplate, "EXPR", "x", 1), Options{})
	if len(ok.Errors) != 0 {
		t.Fatalf("the template itself has errors: %v", ok.Errors)
	}
	tests := []struct{ expr, want string }{
		{"!Ref Nope", `Ref: no parameter or resource named "Nope"`},
		{"!Ref [Env]", "Ref: want the name of a parameter or resource"},
		{"!GetAtt Nope.Arn", `Fn::GetAtt: no resource named "Nope"`},
		{"!GetAtt Bucket", `Fn::GetAtt: want "LogicalId.Attribute" or [LogicalId, Attribute]`},
		{"!GetAtt", `Fn::GetAtt: want "LogicalId.Attribute" or [LogicalId, Attribute]`},
		{"!GetAtt [Bucket, Arn, x]", `Fn::GetAtt: want "LogicalId.Attribute" or [LogicalId, Attribute]`},
		{"!Sub [1, 2, 3]", "Fn::Sub: want a string or [string, {Name: value}]"},
		{"!Sub {a: b}", "Fn::Sub: want a string or [string, {Name: value}]"},
		{"!Select [0]", "Fn::Select: want [index, list]"},
		{"!Join x", "Fn::Join: want [delimiter, [values]]"},
		{"!Split [a]", "Fn::Split: want [delimiter, string]"},
		{"!FindInMap [Regions]", "Fn::FindInMap: want [MapName, TopLevelKey, SecondLevelKey]"},
		{"!If [IsDev, a]", "Fn::If: want [condition, value if true, value if false]"},
		{"!If [NoSuchCondition, a, b]", `Fn::If: no condition named "NoSuchCondition"`},
		{"!Frobnicate x", "unknown function Fn::Frobnicate"},
		{`{"Fn::Sbu": "x"}`, "unknown function Fn::Sbu"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			st := loadText(t, strings.Replace(exprTemplate, "EXPR", tc.expr, 1), Options{})
			var got []string
			for _, e := range st.Errors {
				got = append(got, e.Error())
			}
			want := "template.yaml:" + strconv.Itoa(line) + ": " + tc.want
			if len(got) != 1 || got[0] != want {
				t.Errorf("errors %q, want %q", got, want)
			}
			if len(st.Resources) != len(ok.Resources) {
				t.Errorf("%d resources, want all %d still loaded", len(st.Resources), len(ok.Resources))
			}
		})
	}
	// A transform (SAM, a macro) adds resources and functions of its own:
	// names it may define are not errors there.
	sam := strings.Replace(exprTemplate, "Resources:", "Transform: AWS::Serverless-2016-10-31\nResources:", 1)
	for _, expr := range []string{"!Ref ServerlessRestApi", "!GetAtt FnRole.Arn", "!Frobnicate x"} {
		st := loadText(t, strings.Replace(sam, "EXPR", expr, 1), Options{})
		if len(st.Errors) != 0 {
			t.Errorf("%s under a transform: errors %v", expr, st.Errors)
		}
	}
}
