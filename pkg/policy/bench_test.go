package policy

import (
	"context"
	"fmt"
	"testing"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/zclconf/go-cty/cty"
)

// bigState builds n resources shaped like a Terraform security group: a
// dozen attributes, tags, and two nested blocks with lists.
func bigState(n int) *model.State {
	st := &model.State{}
	for i := range n {
		rng := model.Range{File: fmt.Sprintf("mod%d/main.tf", i%50), StartLine: i%400 + 1, EndLine: i%400 + 20}
		attrs := map[string]*model.Attribute{}
		set := func(name string, v cty.Value) {
			attrs[name] = &model.Attribute{Name: name, Value: v, Range: rng}
		}
		set("name", cty.StringVal(fmt.Sprintf("sg-%d", i)))
		set("description", cty.StringVal("web tier"))
		set("vpc_id", cty.UnknownVal(cty.String))
		set("revoke_rules_on_delete", cty.True)
		set("tags", cty.ObjectVal(map[string]cty.Value{
			"Name": cty.StringVal("web"), "team": cty.StringVal("platform"), "env": cty.StringVal("prod"),
		}))
		set("count", cty.NumberIntVal(int64(i)))
		block := func(typ string) *model.Block {
			b := &model.Block{Type: typ, Range: rng, Attrs: map[string]*model.Attribute{}}
			for name, v := range map[string]cty.Value{
				"from_port":   cty.NumberIntVal(443),
				"to_port":     cty.NumberIntVal(443),
				"protocol":    cty.StringVal("tcp"),
				"cidr_blocks": cty.ListVal([]cty.Value{cty.StringVal("10.0.0.0/8"), cty.StringVal("192.168.0.0/16")}),
				"self":        cty.False,
			} {
				b.Attrs[name] = &model.Attribute{Name: name, Value: v, Range: rng}
			}
			return b
		}
		st.Resources = append(st.Resources, &model.Resource{
			Format: "terraform", Type: "aws_security_group", Name: fmt.Sprintf("sg%d", i), Module: "module.net", Range: rng,
			Body: &model.Block{Attrs: attrs, Blocks: []*model.Block{block("ingress"), block("ingress"), block("egress")}},
		})
	}
	return st
}

// BenchmarkInput measures Input, the plain Go form of the input document.
func BenchmarkInput(b *testing.B) {
	st := bigState(20000)
	for b.Loop() {
		Input(st)
	}
}

// BenchmarkInputValue measures building the input as OPA values, the
// whole cost Eval pays before any policy runs.
func BenchmarkInputValue(b *testing.B) {
	st := bigState(20000)
	for b.Loop() {
		inputValue(st)
	}
}

// BenchmarkEval runs a policy that looks at every resource.
func BenchmarkEval(b *testing.B) {
	s, err := Load(context.Background(), "testdata/bench")
	if err != nil {
		b.Fatal(err)
	}
	st := bigState(20000)
	for b.Loop() {
		if _, err := s.Eval(context.Background(), st); err != nil {
			b.Fatal(err)
		}
	}
}
