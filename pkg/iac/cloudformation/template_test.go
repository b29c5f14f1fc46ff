package cloudformation

import (
	"strings"
	"testing"
)

// TestTemplateText: an unknown string built by Fn::Sub or Fn::Join keeps
// its known text, with each unknown part as "\x00", through Fn::Base64;
// the value, refs and lines are those TestIntrinsics pins.
func TestTemplateText(t *testing.T) {
	tests := []struct {
		expr, want, refs, template string
	}{
		{`!Sub "${AWS::Region}-${Env}"`, `?`, "", "\x00-dev"},
		{`!Sub "${Bucket.Arn}/*"`, `?`, "aws_s3_bucket.Bucket", "\x00/*"},
		{`!Sub "${!Literal} ${NoDefault} ${AWS::NoValue}x"`, `?`, "", "${Literal} \x00 x"},
		{`!Sub ["${A}:${B}", {A: !Ref Port, B: !Ref Bucket}]`, `?`, "aws_s3_bucket.Bucket", "22:\x00"},
		{`!Sub ["k=${A}", {A: !Sub "${AWS::StackName}-x"}]`, `?`, "", "k=\x00-x"},
		{`!Join ["", [x, !Ref Bucket]]`, `?`, "aws_s3_bucket.Bucket", "x\x00"},
		{`!Join ["\n", [a, !GetAZs "", !Sub "r=${AWS::Region}"]]`, `?`, "", "a\n\x00\nr=\x00"},
		{`!Base64 {"Fn::Join": ["", [!Ref AWS::StackName, "-y"]]}`, `?`, "", "\x00-y"},
		{`{"Fn::Base64": {"Fn::Sub": "id=${AWS::AccountId}"}}`, `?`, "", "id=\x00"},
		{`!Sub "pw={{resolve:secretsmanager:db}} env=${Env}"`, `?`, "", "pw=\x00 env=dev"},
		{`"{{resolve:ssm:/x}}"`, `?`, "", "\x00"},
		// Known values and other unknown ones have no template.
		{`!Sub "${Env}-app"`, `"dev-app"`, "", ""},
		{`!Base64 {"Fn::Sub": "${Env}"}`, `"ZGV2"`, "", ""},
		{`!Ref AWS::Region`, `?`, "", ""},
		{`!Join [!Ref NoDefault, [a, b]]`, `?`, "", ""},
		{`!If [Unknown, !Sub "${AWS::Region}", x]`, `?`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			st := loadText(t, strings.Replace(exprTemplate, "EXPR", tt.expr, 1), Options{})
			if len(st.Errors) > 0 {
				t.Fatalf("errors: %v", st.Errors)
			}
			a := find(st, "aws_ssm_parameter", "Param").Attr("value")
			if a == nil {
				t.Fatalf("value not set")
			}
			if got := render(a.Value); got != tt.want {
				t.Errorf("value = %s, want %s", got, tt.want)
			}
			if got := strings.Join(a.Refs, ","); got != tt.refs {
				t.Errorf("refs = %q, want %q", got, tt.refs)
			}
			if a.Range.StartLine != 43 || a.Range.EndLine != 43 {
				t.Errorf("range = %v, want line 43", a.Range)
			}
			if a.Template != tt.template {
				t.Errorf("template = %q, want %q", a.Template, tt.template)
			}
		})
	}
}

// TestTemplateUserData: user data written over several lines keeps its
// lines, and its template its text.
func TestTemplateUserData(t *testing.T) {
	st := loadText(t, `Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData:
        Fn::Base64: !Sub |
          #!/bin/sh
          aws configure set region ${AWS::Region}
          echo done
`, Options{})
	a := find(st, "aws_instance", "Web").Attr("user_data_base64")
	if a == nil {
		t.Fatalf("user_data_base64 not set in\n%s", dump(st))
	}
	if got := lines(a.Range); got != "template.yaml:6-10" {
		t.Errorf("range = %s", got)
	}
	if want := "#!/bin/sh\naws configure set region \x00\necho done\n"; a.Template != want || a.Value.IsKnown() {
		t.Errorf("value %s, template %q, want unknown and %q", render(a.Value), a.Template, want)
	}
}
