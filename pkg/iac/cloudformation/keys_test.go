package cloudformation

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// keysTemplate exercises model.Attribute.Keys: a mapping adapted into a
// nested block (Environment.Variables -> environment { variables }), with a
// quoted key, a block scalar over several lines and a function value; SAM
// Globals merged into a function's variables; a YAML alias.
const keysTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment:
      Variables:
        SHARED: from-globals
Resources:
  Api:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/lambda
      Environment:
        Variables:
          DB_HOST: db.internal
          "DB-PASSWORD": hunter2
          CERT: |
            -----BEGIN CERTIFICATE-----
            MIIB
            -----END CERTIFICATE-----
          REGION: !Sub "${AWS::Region}"
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Environment:
        Variables: &vars
          QUEUE: jobs
  Other:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Environment:
        Variables: *vars
`

const keysJSON = `{
  "Resources": {
    "Fn": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "Handler": "index.handler",
        "Environment": {
          "Variables": {
            "DB_PASSWORD": "hunter2",
            "LIST": [
              "a"
            ]
          }
        }
      }
    }
  }
}
`

func TestKeyRanges(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"template.yaml": keysTemplate, "template.json": keysJSON} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st := loadDir(t, dir, Options{})
	for _, e := range st.Errors {
		t.Errorf("unexpected error: %v", e)
	}
	cases := []struct {
		name     string
		resource string
		attr     func(*model.Resource) *model.Attribute
		want     map[string]string // key -> file:start[-end]; nil: no Keys
	}{
		{"adapted into a nested block; quoted key, block scalar, function", "Api", variables, map[string]string{
			"DB_HOST":     "template.yaml:16",
			"DB-PASSWORD": "template.yaml:17",
			"CERT":        "template.yaml:18-21",
			"REGION":      "template.yaml:22",
		}},
		{"not a mapping", "Api", func(r *model.Resource) *model.Attribute { return r.Attr("handler") }, nil},
		{"merged from Globals: each where it is written", "Worker", variables, map[string]string{
			"SHARED": "template.yaml:7",
			"QUEUE":  "template.yaml:31",
		}},
		{"alias: the anchored items", "Other", variables, map[string]string{
			"SHARED": "template.yaml:7",
			"QUEUE":  "template.yaml:31",
		}},
		// Flow collections end on their last member's line, as all
		// CloudFormation ranges do.
		{"JSON template", "Fn", variables, map[string]string{
			"DB_PASSWORD": "template.json:9",
			"LIST":        "template.json:10-11",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := find(st, "aws_lambda_function", c.resource)
			if r == nil {
				t.Fatalf("no aws_lambda_function %s", c.resource)
			}
			a := c.attr(r)
			if a == nil {
				t.Fatalf("%s: attribute not set", c.resource)
			}
			var got map[string]string
			for k, rng := range a.Keys {
				if got == nil {
					got = map[string]string{}
				}
				got[k] = lines(rng)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Keys = %v, want %v", got, c.want)
			}
			if got, want := a.KeyRange("absent"), a.Range; got != want {
				t.Errorf("KeyRange(absent) = %s, want the attribute's range %s", lines(got), lines(want))
			}
		})
	}
}

func variables(r *model.Resource) *model.Attribute {
	return r.Body.Block("environment").Attr("variables")
}
