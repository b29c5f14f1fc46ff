package rules

import (
	"fmt"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// label names a resource the way messages do: `aws_iam_policy "deploy"`,
// with the data prefix, module path and instance key when there are some;
// formats other than Terraform name it their own way (Resource.Label).
func label(r *model.Resource) string {
	if r.Label != "" {
		return r.Label
	}
	var b strings.Builder
	if r.Module != "" {
		b.WriteString(r.Module)
		b.WriteByte('.')
	}
	if r.Mode == model.Data {
		b.WriteString("data.")
	}
	fmt.Fprintf(&b, "%s %q%s", r.Type, r.Name, r.Key)
	return b.String()
}

// linked finds the resources of type typ whose attribute attr points at
// target: by reference (aws_s3_bucket.b.id), or by holding the same known
// value as target's matchAttr (the bucket name) when matchAttr is set.
//
// unsure is true when some resource of typ has an attr this scan cannot
// resolve: unknown, and not a reference to any resource of target's type
// (a module variable, a data source). It might point at target, so a rule
// about something missing stays silent rather than guess.
func linked(s *model.State, target *model.Resource, typ, attr, matchAttr string) (found []*model.Resource, unsure bool) {
	links := s.Links(typ, attr)
	found = links.To(target, matchAttr)
	unsure = links.Opaque(kindsOf(target.Type)...)
	// A literal name cannot be compared with a target whose own name is
	// written but unknown (a variable without a value, say).
	if matchAttr != "" && links.HasValues() {
		if a := target.Attr(matchAttr); a != nil && !a.Known() {
			unsure = true
		}
	}
	return found, unsure
}

// sameKind lists resource types that are interchangeable as link targets: a
// flow log's vpc_id may name an aws_vpc or the aws_default_vpc.
var sameKind = map[string][]string{
	"aws_vpc":         {"aws_vpc", "aws_default_vpc"},
	"aws_default_vpc": {"aws_vpc", "aws_default_vpc"},
}

// kindsOf lists the types interchangeable with typ as link targets.
func kindsOf(typ string) []string {
	if kinds := sameKind[typ]; kinds != nil {
		return kinds
	}
	return []string{typ}
}

func containsRes(list []*model.Resource, r *model.Resource) bool {
	for _, x := range list {
		if x == r {
			return true
		}
	}
	return false
}

// boolIs reports whether the attribute is set to the known bool want.
func boolIs(a *model.Attribute, want bool) bool {
	v, ok := a.Bool()
	return ok && v == want
}

// unsetOrFalse describes an off-by-default switch: it returns the attribute
// when it is known false, missing=true when it is absent (or null), and
// neither when it is true or unknown.
func unsetOrFalse(b *model.Block, name string) (off *model.Attribute, missing bool) {
	a := b.Attr(name)
	if a == nil || (a.Value.IsKnown() && a.Value.IsNull()) {
		return nil, true
	}
	if boolIs(a, false) {
		return a, false
	}
	return nil, false
}

// unsetOrEmpty describes an optional string such as a KMS key id: it returns
// the attribute when it is known to be "", missing=true when it is absent
// (or null), and neither when it is set or unknown.
func unsetOrEmpty(b *model.Block, name string) (empty *model.Attribute, missing bool) {
	a := b.Attr(name)
	if a == nil || (a.Value.IsKnown() && a.Value.IsNull()) {
		return nil, true
	}
	if v, ok := a.String(); ok && strings.TrimSpace(v) == "" {
		return a, false
	}
	return nil, false
}
