package terraform

import (
	"path/filepath"
	"reflect"
	"testing"
)

// TestKeyRanges pins model.Attribute.Keys: one range per item of an object
// written literally, from the key to the end of the value, in native and
// JSON syntax, inside nested blocks and modules; computed keys and values
// that are not object literals have none.
func TestKeyRanges(t *testing.T) {
	st := load(t, filepath.Join("testdata", "keys"), Options{})
	for _, e := range st.Errors {
		t.Errorf("unexpected error: %v", e)
	}
	cases := []struct {
		name string
		addr string
		attr string
		want map[string]string // key -> file:start[-end]; nil: no Keys
	}{
		{"nested block, quoted key, heredoc, number key; computed keys left out",
			"aws_lambda_function.api", "environment[0].variables", map[string]string{
				"DB_HOST":     "main.tf:11",
				"DB-PASSWORD": "main.tf:12",
				"CERT":        "main.tf:13-17",
				"LITERAL":     "main.tf:20",
				"10":          "main.tf:21",
			}},
		{"one line", "aws_lambda_function.api", "tags", map[string]string{
			"team":        "main.tf:7",
			"cost-center": "main.tf:7",
		}},
		{"not an object", "aws_lambda_function.api", "function_name", nil},
		{"empty object", "aws_lambda_function.empty", "environment[0].variables", nil},
		{"only computed keys", "aws_lambda_function.empty", "tags", nil},
		{"module file relative to the root", "module.fn.aws_lambda_function.inner", "tags", map[string]string{
			"Name": "modules/fn/main.tf:9",
		}},
		{"computed object", "module.fn.aws_lambda_function.inner", "environment[0].variables", nil},
		{"JSON, interpolated key left out", "aws_lambda_function.json", "tags", map[string]string{
			"team":   "json.tf.json:7",
			"owners": "json.tf.json:9-12",
		}},
		{"JSON nested block as attribute", "aws_lambda_function.json", "environment", map[string]string{
			"variables": "json.tf.json:15-17",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := findResource(st, c.addr)
			if r == nil {
				t.Fatalf("no resource %s", c.addr)
			}
			a := findAttr(r, c.attr)
			if a == nil {
				t.Fatalf("%s has no %s", c.addr, c.attr)
			}
			var got map[string]string
			for k, rng := range a.Keys {
				if got == nil {
					got = map[string]string{}
				}
				got[k] = rng.String()
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("Keys = %v, want %v", got, c.want)
			}
			for k, want := range c.want {
				if got := a.KeyRange(k).String(); got != want {
					t.Errorf("KeyRange(%q) = %s, want %s", k, got, want)
				}
			}
			if got, want := a.KeyRange("absent"), a.Range; got != want {
				t.Errorf("KeyRange(absent) = %s, want the attribute's range %s", got, want)
			}
		})
	}
}
