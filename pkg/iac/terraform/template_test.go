package terraform

import (
	"path/filepath"
	"strings"
	"testing"
)

// An unknown string written as a template keeps its known text, with each
// part known only after apply as "\x00"; values and ranges are unchanged.
func TestTemplate(t *testing.T) {
	st := load(t, filepath.Join("testdata", "template"), Options{})
	r := findResource(st, "aws_instance.i")
	if r == nil {
		t.Fatalf("no aws_instance.i in\n%s", render(st))
	}
	cases := []struct {
		attr, value, rng, template string
	}{
		{"user_data", "unknown", "main.tf:15-20", "#!/bin/sh\nexport AWS_DEFAULT_REGION=\x00\necho web > /etc/name\n\x00\n"},
		{"quoted", "unknown", "main.tf:21", "name=web arn=\x00"},
		{"wrapped", "unknown", "main.tf:22", "r=\x00"},
		{"gzip", "unknown", "main.tf:23-27", "a=web\nb=\x00\n"},
		{"file", "unknown", "main.tf:28", "host=web\nregion=\x00\nab\nupper=WEB\n"},
		{"file_b64", "unknown", "main.tf:29", "host=x\nregion=\x00\nab\nupper=X\n"},
		{"all_vars", "unknown", "main.tf:30", "host=\x00\nregion=\x00\nab\nupper=\x00\n"},
		{"missing", "unknown", "main.tf:31", ""},
		{"known", `"name=web"`, "main.tf:32", ""},
		{"only_ref", "unknown", "main.tf:33", ""},
		{"call", "unknown", "main.tf:34", ""},
		{"broken", "unknown", "main.tf:35", "a=web b=\x00"},
		{"parens", "unknown", "main.tf:36-40", "r=\x00\n"},
	}
	for _, c := range cases {
		a := r.Attr(c.attr)
		if a == nil {
			t.Errorf("%s not set", c.attr)
			continue
		}
		if got := valueString(a.Value); got != c.value {
			t.Errorf("%s = %s, want %s", c.attr, got, c.value)
		}
		if got := a.Range.String(); got != c.rng {
			t.Errorf("%s range = %s, want %s", c.attr, got, c.rng)
		}
		if a.Template != c.template {
			t.Errorf("%s template = %q, want %q", c.attr, a.Template, c.template)
		}
	}
	// The broken part is reported once, by the attribute's evaluation.
	if len(st.Errors) != 1 || !strings.HasPrefix(st.Errors[0].Error(), "main.tf:35: Call to unknown function") {
		t.Errorf("errors %v, want the unknown function once", st.Errors)
	}
}
