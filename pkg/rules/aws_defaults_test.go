package rules_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/terraform"
	"github.com/fixity-sec/fixity/pkg/rules"
)

// TestAccountDefaults covers configurations where an account-wide setting
// (aws_ec2_instance_metadata_defaults, aws_ebs_encryption_by_default)
// makes a missing per-resource setting harmless. Each directory is marked
// like the bad/ fixtures; a directory without markers must stay silent.
func TestAccountDefaults(t *testing.T) {
	cases := []struct{ dir string }{
		{"testdata/FX-AWS-012/account-default"},
		{"testdata/FX-AWS-021/encryption-by-default"},
		{"testdata/FX-AWS-022/encryption-by-default"},
	}
	byID := map[string]*rules.Rule{}
	for _, r := range rules.All() {
		byID[r.ID] = r
	}
	for _, c := range cases {
		id := filepath.Base(filepath.Dir(c.dir))
		t.Run(id+"/"+filepath.Base(c.dir), func(t *testing.T) {
			r := byID[id]
			if r == nil {
				t.Fatalf("no rule %s", id)
			}
			st, err := terraform.Load(context.Background(), c.dir, terraform.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range st.Errors {
				t.Errorf("fixture does not load cleanly: %v", e)
			}
			var got []string
			for _, res := range r.Check(st) {
				got = append(got, fmt.Sprintf("%s:%d", res.Range.File, res.Range.StartLine))
			}
			sort.Strings(got)
			got = dedupe(got)
			want := wantMarkers(t, c.dir, id)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("findings at [%s], want [%s]", strings.Join(got, " "), strings.Join(want, " "))
			}
		})
	}
}
