package model

import (
	"math/big"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// attr builds an attribute whose range is line in main.tf.
func attr(name string, v cty.Value, line int, refs ...string) *Attribute {
	return &Attribute{Name: name, Value: v, Range: Range{File: "main.tf", StartLine: line, EndLine: line}, Refs: refs}
}

// body builds a resource body from attributes and nested blocks.
func body(attrs []*Attribute, blocks ...*Block) *Block {
	b := &Block{Attrs: map[string]*Attribute{}, Blocks: blocks}
	for _, a := range attrs {
		b.Attrs[a.Name] = a
	}
	return b
}

func managed(typ, name string, attrs ...*Attribute) *Resource {
	return &Resource{Mode: Managed, Type: typ, Name: name, Body: body(attrs)}
}

func addresses(rs []*Resource) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.Address())
	}
	return out
}

func TestAddress(t *testing.T) {
	tests := []struct {
		name     string
		r        Resource
		wantAddr string
		wantBase string
	}{
		{
			name:     "root managed",
			r:        Resource{Type: "aws_s3_bucket", Name: "logs"},
			wantAddr: "aws_s3_bucket.logs",
			wantBase: "aws_s3_bucket.logs",
		},
		{
			name:     "count key",
			r:        Resource{Type: "aws_instance", Name: "web", Key: "[0]"},
			wantAddr: "aws_instance.web[0]",
			wantBase: "aws_instance.web",
		},
		{
			name:     "for_each key",
			r:        Resource{Type: "aws_instance", Name: "web", Key: `["a"]`},
			wantAddr: `aws_instance.web["a"]`,
			wantBase: "aws_instance.web",
		},
		{
			name:     "root data",
			r:        Resource{Mode: Data, Type: "aws_iam_policy_document", Name: "x"},
			wantAddr: "data.aws_iam_policy_document.x",
			wantBase: "data.aws_iam_policy_document.x",
		},
		{
			name:     "module managed",
			r:        Resource{Type: "aws_vpc", Name: "main", Module: "module.net"},
			wantAddr: "module.net.aws_vpc.main",
			wantBase: "module.net.aws_vpc.main",
		},
		{
			name:     "nested module with keys",
			r:        Resource{Type: "aws_security_group", Name: "web", Module: "module.net.module.sg[0]", Key: `["a"]`},
			wantAddr: `module.net.module.sg[0].aws_security_group.web["a"]`,
			wantBase: "module.net.module.sg[0].aws_security_group.web",
		},
		{
			name:     "module data with key",
			r:        Resource{Mode: Data, Type: "aws_ami", Name: "ubuntu", Module: "module.m", Key: "[1]"},
			wantAddr: "module.m.data.aws_ami.ubuntu[1]",
			wantBase: "module.m.data.aws_ami.ubuntu",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Address(); got != tt.wantAddr {
				t.Errorf("Address() = %q, want %q", got, tt.wantAddr)
			}
			if got := tt.r.BaseAddress(); got != tt.wantBase {
				t.Errorf("BaseAddress() = %q, want %q", got, tt.wantBase)
			}
		})
	}
}

func TestAttrNil(t *testing.T) {
	var b *Block
	if got := b.Attr("x"); got != nil {
		t.Errorf("nil block Attr = %v, want nil", got)
	}
	if got := b.BlocksOf("x"); got != nil {
		t.Errorf("nil block BlocksOf = %v, want nil", got)
	}
	if got := b.Block("x"); got != nil {
		t.Errorf("nil block Block = %v, want nil", got)
	}
	// Chains through missing blocks are safe.
	r := managed("aws_instance", "web", attr("ami", cty.StringVal("ami-1"), 2))
	if got := r.Body.Block("root_block_device").Attr("encrypted"); got != nil {
		t.Errorf("chain through a missing block = %v, want nil", got)
	}
	if got := r.Attr("missing"); got != nil {
		t.Errorf("Attr(missing) = %v, want nil", got)
	}
	if got, _ := r.Attr("ami").String(); got != "ami-1" {
		t.Errorf("Attr(ami) = %q, want ami-1", got)
	}
	// A resource without a body has no attributes.
	if got := (&Resource{Type: "aws_vpc", Name: "x"}).Attr("cidr_block"); got != nil {
		t.Errorf("Attr on a nil body = %v, want nil", got)
	}
}

// blockView is what a test compares about a block.
type blockView struct {
	Type  string
	Line  int
	Attrs map[string]string
	Refs  []string
}

func view(bs []*Block) []blockView {
	out := []blockView{}
	for _, b := range bs {
		v := blockView{Type: b.Type, Line: b.Range.StartLine, Attrs: map[string]string{}}
		names := make([]string, 0, len(b.Attrs))
		for n := range b.Attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			a := b.Attrs[n]
			if a.Name != n {
				v.Attrs[n] = "NAME MISMATCH " + a.Name
				continue
			}
			s, ok := a.String()
			if !ok {
				s = "?"
			}
			v.Attrs[n] = s
			if v.Refs == nil {
				v.Refs = a.Refs
			}
		}
		out = append(out, v)
	}
	return out
}

func TestBlocksOf(t *testing.T) {
	rule := func(port int64) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{
			"from_port": cty.NumberIntVal(port),
			"protocol":  cty.StringVal("tcp"),
		})
	}
	real1 := &Block{Type: "ingress", Range: Range{File: "main.tf", StartLine: 3}, Attrs: map[string]*Attribute{
		"from_port": attr("from_port", cty.NumberIntVal(22), 4),
	}}
	real2 := &Block{Type: "ingress", Range: Range{File: "main.tf", StartLine: 6}, Attrs: map[string]*Attribute{
		"from_port": attr("from_port", cty.NumberIntVal(443), 7),
	}}
	egress := &Block{Type: "egress", Range: Range{File: "main.tf", StartLine: 9}}

	tests := []struct {
		name   string
		block  *Block
		typ    string
		want   []blockView
		wantNo bool // want a nil result
	}{
		{
			name:  "real blocks in source order, other types left out",
			block: body(nil, real1, egress, real2),
			typ:   "ingress",
			want: []blockView{
				{Type: "ingress", Line: 3, Attrs: map[string]string{"from_port": "22"}},
				{Type: "ingress", Line: 6, Attrs: map[string]string{"from_port": "443"}},
			},
		},
		{
			name:   "no such block",
			block:  body(nil, real1),
			typ:    "egress_rule",
			wantNo: true,
		},
		{
			name:  "object attribute",
			block: body([]*Attribute{attr("ingress", rule(80), 12, "aws_vpc.main")}),
			typ:   "ingress",
			want: []blockView{
				{Type: "ingress", Line: 12, Attrs: map[string]string{"from_port": "80", "protocol": "tcp"}, Refs: []string{"aws_vpc.main"}},
			},
		},
		{
			name: "map attribute",
			block: body([]*Attribute{attr("tags", cty.MapVal(map[string]cty.Value{
				"Name": cty.StringVal("web"), "Env": cty.StringVal("prod"),
			}), 5)}),
			typ: "tags",
			want: []blockView{
				{Type: "tags", Line: 5, Attrs: map[string]string{"Env": "prod", "Name": "web"}},
			},
		},
		{
			name:  "list of objects after real blocks",
			block: body([]*Attribute{attr("ingress", cty.ListVal([]cty.Value{rule(80), rule(8080)}), 20)}, real1),
			typ:   "ingress",
			want: []blockView{
				{Type: "ingress", Line: 3, Attrs: map[string]string{"from_port": "22"}},
				{Type: "ingress", Line: 20, Attrs: map[string]string{"from_port": "80", "protocol": "tcp"}},
				{Type: "ingress", Line: 20, Attrs: map[string]string{"from_port": "8080", "protocol": "tcp"}},
			},
		},
		{
			name: "tuple keeps only known objects",
			block: body([]*Attribute{attr("ingress", cty.TupleVal([]cty.Value{
				rule(1),
				cty.StringVal("not an object"),
				cty.UnknownVal(rule(0).Type()),
				cty.NullVal(rule(0).Type()),
				cty.ObjectVal(map[string]cty.Value{"cidr": cty.UnknownVal(cty.String)}),
			}), 30)}),
			typ: "ingress",
			want: []blockView{
				{Type: "ingress", Line: 30, Attrs: map[string]string{"from_port": "1", "protocol": "tcp"}},
				{Type: "ingress", Line: 30, Attrs: map[string]string{"cidr": "?"}},
			},
		},
		{
			name:   "unknown attribute",
			block:  body([]*Attribute{attr("ingress", cty.UnknownVal(cty.List(rule(0).Type())), 40)}),
			typ:    "ingress",
			wantNo: true,
		},
		{
			name:   "dynamic unknown attribute",
			block:  body([]*Attribute{attr("ingress", cty.DynamicVal, 40)}),
			typ:    "ingress",
			wantNo: true,
		},
		{
			name:   "null attribute",
			block:  body([]*Attribute{attr("ingress", cty.NullVal(rule(0).Type()), 41)}),
			typ:    "ingress",
			wantNo: true,
		},
		{
			name:   "string attribute",
			block:  body([]*Attribute{attr("ingress", cty.StringVal("x"), 42)}),
			typ:    "ingress",
			wantNo: true,
		},
		{
			name:   "list of strings",
			block:  body([]*Attribute{attr("ingress", cty.ListVal([]cty.Value{cty.StringVal("x")}), 43)}),
			typ:    "ingress",
			wantNo: true,
		},
		{
			name:   "empty list",
			block:  body([]*Attribute{attr("ingress", cty.ListValEmpty(rule(0).Type()), 44)}),
			typ:    "ingress",
			wantNo: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.block.BlocksOf(tt.typ)
			if tt.wantNo {
				if len(got) != 0 {
					t.Fatalf("BlocksOf(%q) = %v, want none", tt.typ, view(got))
				}
				if b := tt.block.Block(tt.typ); b != nil {
					t.Errorf("Block(%q) = %v, want nil", tt.typ, b)
				}
				return
			}
			if gv := view(got); !reflect.DeepEqual(gv, tt.want) {
				t.Fatalf("BlocksOf(%q) =\n%+v\nwant\n%+v", tt.typ, gv, tt.want)
			}
			first := tt.block.Block(tt.typ)
			if first != got[0] && !reflect.DeepEqual(view([]*Block{first}), tt.want[:1]) {
				t.Errorf("Block(%q) = %+v, want the first of BlocksOf", tt.typ, view([]*Block{first}))
			}
		})
	}
}

func TestBlockReturnsRealBlockFirst(t *testing.T) {
	real := &Block{Type: "versioning", Range: Range{StartLine: 2}}
	b := body([]*Attribute{attr("versioning", cty.EmptyObjectVal, 9)}, real)
	if got := b.Block("versioning"); got != real {
		t.Errorf("Block() = %+v, want the nested block %+v", got, real)
	}
}

func TestAttributeValues(t *testing.T) {
	big70 := cty.NumberVal(new(big.Float).SetInt(new(big.Int).Lsh(big.NewInt(1), 70)))
	tests := []struct {
		name       string
		v          cty.Value
		str        string
		strOK      bool
		boolV      bool
		boolOK     bool
		intV       int64
		intOK      bool
		strs       []string
		strsOK     bool
		knownWhole bool
	}{
		{name: "string", v: cty.StringVal("abc"), str: "abc", strOK: true, strs: []string{"abc"}, strsOK: true, knownWhole: true},
		{name: "empty string", v: cty.StringVal(""), str: "", strOK: true, strs: []string{""}, strsOK: true, knownWhole: true},
		{name: "true string", v: cty.StringVal("true"), str: "true", strOK: true, boolV: true, boolOK: true, strs: []string{"true"}, strsOK: true, knownWhole: true},
		{name: "FALSE string", v: cty.StringVal("FALSE"), str: "FALSE", strOK: true, boolV: false, boolOK: true, strs: []string{"FALSE"}, strsOK: true, knownWhole: true},
		{name: "yes string is no bool", v: cty.StringVal("yes"), str: "yes", strOK: true, strs: []string{"yes"}, strsOK: true, knownWhole: true},
		{name: "numeric string", v: cty.StringVal(" 42 "), str: " 42 ", strOK: true, intV: 42, intOK: true, strs: []string{" 42 "}, strsOK: true, knownWhole: true},
		{name: "negative numeric string", v: cty.StringVal("-3"), str: "-3", strOK: true, intV: -3, intOK: true, strs: []string{"-3"}, strsOK: true, knownWhole: true},
		{name: "fraction string", v: cty.StringVal("1.5"), str: "1.5", strOK: true, strs: []string{"1.5"}, strsOK: true, knownWhole: true},
		{name: "numeric string too big for int64", v: cty.StringVal("1e30"), str: "1e30", strOK: true, strs: []string{"1e30"}, strsOK: true, knownWhole: true},
		{name: "hex string is not a number", v: cty.StringVal("0x10"), str: "0x10", strOK: true, strs: []string{"0x10"}, strsOK: true, knownWhole: true},
		{name: "int", v: cty.NumberIntVal(443), str: "443", strOK: true, intV: 443, intOK: true, knownWhole: true},
		{name: "negative int", v: cty.NumberIntVal(-1), str: "-1", strOK: true, intV: -1, intOK: true, knownWhole: true},
		{name: "fraction", v: cty.NumberFloatVal(1.5), str: "1.5", strOK: true, knownWhole: true},
		{name: "parsed fraction", v: cty.MustParseNumberVal("0.1"), str: "0.1", strOK: true, knownWhole: true},
		{name: "too big for int64", v: big70, str: "1180591620717411303424", strOK: true, knownWhole: true},
		{name: "bool true", v: cty.True, str: "true", strOK: true, boolV: true, boolOK: true, knownWhole: true},
		{name: "bool false", v: cty.False, str: "false", strOK: true, boolV: false, boolOK: true, knownWhole: true},
		{name: "unknown string", v: cty.UnknownVal(cty.String)},
		{name: "unknown dynamic", v: cty.DynamicVal},
		{name: "null string", v: cty.NullVal(cty.String), strsOK: true},
		{name: "null bool", v: cty.NullVal(cty.Bool), strsOK: true},
		{
			name: "list of strings", v: cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")}),
			strs: []string{"a", "b"}, strsOK: true, knownWhole: true,
		},
		{
			name: "list with unknown element", v: cty.ListVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String), cty.StringVal("c")}),
			strs: []string{"a", "c"}, strsOK: false,
		},
		{
			name: "list with null element", v: cty.ListVal([]cty.Value{cty.NullVal(cty.String), cty.StringVal("b")}),
			strs: []string{"b"}, strsOK: true, knownWhole: true,
		},
		{
			name: "set of strings in set order", v: cty.SetVal([]cty.Value{cty.StringVal("z"), cty.StringVal("a")}),
			strs: []string{"a", "z"}, strsOK: true, knownWhole: true,
		},
		{
			name: "tuple of string, number and bool", v: cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(22), cty.True}),
			strs: []string{"a", "22", "true"}, strsOK: true, knownWhole: true,
		},
		{
			name: "tuple with an object", v: cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.EmptyObjectVal}),
			strs: []string{"a"}, strsOK: false, knownWhole: true,
		},
		{name: "empty list", v: cty.ListValEmpty(cty.String), strs: []string{}, strsOK: true, knownWhole: true},
		{name: "unknown list", v: cty.UnknownVal(cty.List(cty.String))},
		{name: "object", v: cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("b")}), knownWhole: true},
		{name: "map", v: cty.MapVal(map[string]cty.Value{"a": cty.StringVal("b")}), knownWhole: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attr("x", tt.v, 1)
			if s, ok := a.String(); s != tt.str || ok != tt.strOK {
				t.Errorf("String() = %q, %v; want %q, %v", s, ok, tt.str, tt.strOK)
			}
			if b, ok := a.Bool(); b != tt.boolV || ok != tt.boolOK {
				t.Errorf("Bool() = %v, %v; want %v, %v", b, ok, tt.boolV, tt.boolOK)
			}
			if i, ok := a.Int(); i != tt.intV || ok != tt.intOK {
				t.Errorf("Int() = %d, %v; want %d, %v", i, ok, tt.intV, tt.intOK)
			}
			ss, ok := a.Strings()
			if !reflect.DeepEqual(ss, tt.strs) || ok != tt.strsOK {
				t.Errorf("Strings() = %#v, %v; want %#v, %v", ss, ok, tt.strs, tt.strsOK)
			}
			if got := a.Known(); got != tt.knownWhole {
				t.Errorf("Known() = %v, want %v", got, tt.knownWhole)
			}
		})
	}
}

func TestNilAttribute(t *testing.T) {
	var a *Attribute
	if s, ok := a.String(); s != "" || ok {
		t.Errorf("String() = %q, %v", s, ok)
	}
	if b, ok := a.Bool(); b || ok {
		t.Errorf("Bool() = %v, %v", b, ok)
	}
	if i, ok := a.Int(); i != 0 || ok {
		t.Errorf("Int() = %d, %v", i, ok)
	}
	if ss, ok := a.Strings(); ss != nil || ok {
		t.Errorf("Strings() = %v, %v", ss, ok)
	}
	if a.Known() {
		t.Error("Known() = true")
	}
	if a.RefersTo(&Resource{Type: "aws_s3_bucket", Name: "b"}) {
		t.Error("RefersTo() = true")
	}
	if r := a.KeyRange("k"); r != (Range{}) {
		t.Errorf("KeyRange() = %v", r)
	}
}

func TestKeyRange(t *testing.T) {
	vars := attr("variables", cty.ObjectVal(map[string]cty.Value{
		"DB_HOST":     cty.StringVal("db"),
		"DB_PASSWORD": cty.StringVal("hunter2"),
	}), 10)
	vars.Range.EndLine = 13
	vars.Keys = map[string]Range{
		"DB_HOST":     {File: "main.tf", StartLine: 11, EndLine: 11},
		"DB_PASSWORD": {File: "main.tf", StartLine: 12, EndLine: 12},
	}
	computed := attr("tags", cty.MapVal(map[string]cty.Value{"x": cty.StringVal("y")}), 20)
	tests := []struct {
		name string
		a    *Attribute
		key  string
		want Range
	}{
		{"written key", vars, "DB_PASSWORD", Range{File: "main.tf", StartLine: 12, EndLine: 12}},
		{"absent key: the attribute", vars, "OTHER", Range{File: "main.tf", StartLine: 10, EndLine: 13}},
		{"no literal: the attribute", computed, "x", Range{File: "main.tf", StartLine: 20, EndLine: 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.KeyRange(tt.key); got != tt.want {
				t.Errorf("KeyRange(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

func TestRefersTo(t *testing.T) {
	bucket := &Resource{Type: "aws_s3_bucket", Name: "b", Key: "[0]"}
	modBucket := &Resource{Type: "aws_s3_bucket", Name: "b", Module: "module.m"}
	doc := &Resource{Mode: Data, Type: "aws_iam_policy_document", Name: "x"}
	sameNameManaged := &Resource{Type: "aws_iam_policy_document", Name: "x"}
	tests := []struct {
		name   string
		refs   []string
		target *Resource
		want   bool
	}{
		{"keyed target by base address", []string{"aws_s3_bucket.b"}, bucket, true},
		{"one of several refs", []string{"aws_kms_key.k", "aws_s3_bucket.b"}, bucket, true},
		{"no refs", nil, bucket, false},
		{"full address with key is not a base address", []string{"aws_s3_bucket.b[0]"}, bucket, false},
		{"root ref is not the module resource", []string{"aws_s3_bucket.b"}, modBucket, false},
		{"module ref", []string{"module.m.aws_s3_bucket.b"}, modBucket, true},
		{"module ref is not the root resource", []string{"module.m.aws_s3_bucket.b"}, bucket, false},
		{"data source", []string{"data.aws_iam_policy_document.x"}, doc, true},
		{"data ref is not a managed resource", []string{"data.aws_iam_policy_document.x"}, sameNameManaged, false},
		{"prefix is not a match", []string{"aws_s3_bucket.bb"}, bucket, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := attr("bucket", cty.UnknownVal(cty.String), 1, tt.refs...)
			if got := a.RefersTo(tt.target); got != tt.want {
				t.Errorf("RefersTo(%s) with refs %v = %v, want %v", tt.target.Address(), tt.refs, got, tt.want)
			}
		})
	}
}

func TestOfType(t *testing.T) {
	s := &State{Resources: []*Resource{
		{Type: "aws_security_group", Name: "a"},
		{Type: "aws_instance", Name: "web", Key: "[0]"},
		{Mode: Data, Type: "aws_security_group", Name: "existing"},
		{Type: "aws_security_group", Name: "b", Module: "module.m"},
		{Type: "aws_instance", Name: "web", Key: "[1]"},
		{Type: "aws_default_security_group", Name: "d"},
		{Mode: Data, Type: "aws_ami", Name: "ubuntu"},
		{Mode: Data, Type: "aws_iam_policy_document", Name: "p"},
	}}
	tests := []struct {
		name  string
		mode  Mode
		types []string
		want  []string
	}{
		{"one type, load order, no data", Managed, []string{"aws_security_group"}, []string{"aws_security_group.a", "module.m.aws_security_group.b"}},
		{"instances", Managed, []string{"aws_instance"}, []string{"aws_instance.web[0]", "aws_instance.web[1]"}},
		{"several types, grouped per type in argument order", Managed, []string{"aws_default_security_group", "aws_security_group"},
			[]string{"aws_default_security_group.d", "aws_security_group.a", "module.m.aws_security_group.b"}},
		{"missing type", Managed, []string{"aws_vpc"}, []string{}},
		{"no types", Managed, nil, []string{}},
		{"data only", Data, []string{"aws_security_group"}, []string{"data.aws_security_group.existing"}},
		{"several data types", Data, []string{"aws_iam_policy_document", "aws_ami", "aws_instance"},
			[]string{"data.aws_iam_policy_document.p", "data.aws_ami.ubuntu"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []*Resource
			if tt.mode == Managed {
				got = s.OfType(tt.types...)
			} else {
				got = s.DataOfType(tt.types...)
			}
			if ga := addresses(got); !reflect.DeepEqual(ga, tt.want) {
				t.Errorf("got %v, want %v", ga, tt.want)
			}
			for _, r := range got {
				if r.Mode != tt.mode {
					t.Errorf("%s has mode %v, want %v", r.Address(), r.Mode, tt.mode)
				}
			}
		})
	}
}

// linkState is a root bucket, a module bucket of the same name and
// versioning resources that point at them in every way a configuration can.
func linkState() (s *State, rootLogs, modLogs, other *Resource) {
	rootLogs = managed("aws_s3_bucket", "logs", attr("bucket", cty.StringVal("logs-bucket"), 2))
	modLogs = managed("aws_s3_bucket", "logs", attr("bucket", cty.StringVal("store-logs"), 3))
	modLogs.Module = "module.store"
	other = managed("aws_s3_bucket", "other", attr("bucket", cty.UnknownVal(cty.String), 4))
	unknownID := cty.UnknownVal(cty.String)
	dataVersioning := managed("aws_s3_bucket_versioning", "d", attr("bucket", unknownID, 5, "aws_s3_bucket.logs"))
	dataVersioning.Mode = Data
	modVersioning := managed("aws_s3_bucket_versioning", "v", attr("bucket", unknownID, 16, "module.store.aws_s3_bucket.logs"))
	modVersioning.Module = "module.store"
	s = &State{Resources: []*Resource{
		rootLogs, modLogs, other, dataVersioning,
		managed("aws_s3_bucket_versioning", "by_literal", attr("bucket", cty.StringVal("logs-bucket"), 10)),
		managed("aws_s3_bucket_versioning", "by_ref", attr("bucket", unknownID, 11, "aws_s3_bucket.logs")),
		managed("aws_s3_bucket_versioning", "by_var", attr("bucket", unknownID, 12)),
		managed("aws_s3_bucket_versioning", "no_bucket", attr("expected_bucket_owner", cty.StringVal("1"), 13)),
		managed("aws_s3_bucket_versioning", "empty", attr("bucket", cty.StringVal(""), 14)),
		// A reference to a known config attribute is both a ref and a value.
		managed("aws_s3_bucket_versioning", "both", attr("bucket", cty.StringVal("logs-bucket"), 15, "aws_s3_bucket.logs")),
		modVersioning,
		managed("aws_s3_bucket_versioning", "to_mod_name", attr("bucket", cty.StringVal("store-logs"), 17)),
		managed("aws_s3_bucket_versioning", "two_refs", attr("bucket", unknownID, 18, "aws_s3_bucket.other", "module.store.aws_s3_bucket.logs")),
	}}
	return s, rootLogs, modLogs, other
}

func TestReferring(t *testing.T) {
	s, rootLogs, modLogs, other := linkState()
	tests := []struct {
		name      string
		target    *Resource
		matchAttr string
		want      []string
	}{
		{"root by reference", rootLogs, "", []string{"aws_s3_bucket_versioning.by_ref", "aws_s3_bucket_versioning.both"}},
		{"root by reference and value", rootLogs, "bucket", []string{
			"aws_s3_bucket_versioning.both", "aws_s3_bucket_versioning.by_literal", "aws_s3_bucket_versioning.by_ref",
		}},
		{"module by reference", modLogs, "", []string{
			"aws_s3_bucket_versioning.two_refs", "module.store.aws_s3_bucket_versioning.v",
		}},
		{"module by reference and value", modLogs, "bucket", []string{
			"aws_s3_bucket_versioning.to_mod_name", "aws_s3_bucket_versioning.two_refs", "module.store.aws_s3_bucket_versioning.v",
		}},
		{"unknown target name links by reference only", other, "bucket", []string{"aws_s3_bucket_versioning.two_refs"}},
		{"match attribute the target lacks", rootLogs, "acl", []string{"aws_s3_bucket_versioning.by_ref", "aws_s3_bucket_versioning.both"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := addresses(s.Referring(tt.target, "aws_s3_bucket_versioning", "bucket", tt.matchAttr))
			sort.Strings(got)
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Referring(%s) = %v, want %v", tt.target.Address(), got, want)
			}
		})
	}
}

func TestReferringOrder(t *testing.T) {
	s, rootLogs, _, _ := linkState()
	// References first, each group in load order, no duplicates.
	got := addresses(s.Referring(rootLogs, "aws_s3_bucket_versioning", "bucket", ""))
	want := []string{"aws_s3_bucket_versioning.by_ref", "aws_s3_bucket_versioning.both"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Referring by reference = %v, want %v (load order)", got, want)
	}
}

func TestLinks(t *testing.T) {
	s, _, _, _ := linkState()
	l := s.Links("aws_s3_bucket_versioning", "bucket")
	if again := s.Links("aws_s3_bucket_versioning", "bucket"); again != l {
		t.Error("Links built twice for the same type and attribute")
	}
	wantUnresolved := []string{
		"aws_s3_bucket_versioning.by_ref",
		"aws_s3_bucket_versioning.by_var",
		"module.store.aws_s3_bucket_versioning.v",
		"aws_s3_bucket_versioning.two_refs",
	}
	if got := addresses(l.Unresolved()); !reflect.DeepEqual(got, wantUnresolved) {
		t.Errorf("Unresolved() = %v, want %v", got, wantUnresolved)
	}
	if !l.HasValues() {
		t.Error("HasValues() = false, want true")
	}

	tests := []struct {
		name           string
		typ, attr      string
		wantUnresolved []string
		wantValues     bool
	}{
		{"no resources of the type", "aws_s3_bucket_logging", "bucket", []string{}, false},
		{"attribute nobody sets", "aws_s3_bucket_versioning", "mfa", []string{}, false},
		{"only empty or unknown values", "aws_s3_bucket", "bucket", []string{"aws_s3_bucket.other"}, true},
		{"known non-empty values", "aws_s3_bucket_versioning", "expected_bucket_owner", []string{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := s.Links(tt.typ, tt.attr)
			if got := addresses(l.Unresolved()); !reflect.DeepEqual(got, tt.wantUnresolved) {
				t.Errorf("Unresolved() = %v, want %v", got, tt.wantUnresolved)
			}
			if got := l.HasValues(); got != tt.wantValues {
				t.Errorf("HasValues() = %v, want %v", got, tt.wantValues)
			}
		})
	}

	onlyEmpty := &State{Resources: []*Resource{
		managed("aws_s3_bucket_versioning", "e", attr("bucket", cty.StringVal(""), 1)),
		managed("aws_s3_bucket_versioning", "n", attr("bucket", cty.NullVal(cty.String), 2)),
		managed("aws_s3_bucket_versioning", "list", attr("bucket", cty.ListVal([]cty.Value{cty.StringVal("x")}), 3)),
		// Known at the top, unknown inside: it might still name anything.
		managed("aws_s3_bucket_versioning", "partial", attr("bucket", cty.ListVal([]cty.Value{cty.UnknownVal(cty.String)}), 4)),
	}}
	l = onlyEmpty.Links("aws_s3_bucket_versioning", "bucket")
	if l.HasValues() {
		t.Error("HasValues() = true for only empty, null and non-string values")
	}
	if got, want := addresses(l.Unresolved()), []string{"aws_s3_bucket_versioning.partial"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Unresolved() = %v, want %v", got, want)
	}
}

func TestGet(t *testing.T) {
	obj := cty.ObjectVal(map[string]cty.Value{
		"Statement": cty.ObjectVal(map[string]cty.Value{
			"Effect":  cty.StringVal("Allow"),
			"Unknown": cty.UnknownVal(cty.String),
			"Nested":  cty.UnknownVal(cty.Object(map[string]cty.Type{"x": cty.String})),
			"Null":    cty.NullVal(cty.Object(map[string]cty.Type{"x": cty.String})),
		}),
		"Tags": cty.MapVal(map[string]cty.Value{"Name": cty.StringVal("web")}),
		"Str":  cty.StringVal("s"),
	})
	tests := []struct {
		name string
		v    cty.Value
		keys []string
		want cty.Value
	}{
		{"no keys", obj, nil, obj},
		{"object path", obj, []string{"Statement", "Effect"}, cty.StringVal("Allow")},
		{"map key", obj, []string{"Tags", "Name"}, cty.StringVal("web")},
		{"missing object key", obj, []string{"Nope"}, cty.NilVal},
		{"missing map key", obj, []string{"Tags", "Env"}, cty.NilVal},
		{"past a missing key", obj, []string{"Nope", "Deeper"}, cty.NilVal},
		{"into a string", obj, []string{"Str", "x"}, cty.NilVal},
		{"unknown leaf", obj, []string{"Statement", "Unknown"}, cty.UnknownVal(cty.String)},
		{"into an unknown object", obj, []string{"Statement", "Nested", "x"}, cty.DynamicVal},
		{"into a null object", obj, []string{"Statement", "Null", "x"}, cty.NilVal},
		{"unknown root", cty.DynamicVal, []string{"a"}, cty.DynamicVal},
		{"null root", cty.NullVal(cty.DynamicPseudoType), []string{"a"}, cty.NilVal},
		{"nil root", cty.NilVal, []string{"a"}, cty.NilVal},
		{"into a list", cty.ListVal([]cty.Value{cty.StringVal("a")}), []string{"0"}, cty.NilVal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Get(tt.v, tt.keys...)
			if tt.want == cty.NilVal {
				if got != cty.NilVal {
					t.Errorf("Get(%v) = %#v, want cty.NilVal", tt.keys, got)
				}
				return
			}
			if got == cty.NilVal {
				t.Fatalf("Get(%v) = cty.NilVal, want %#v", tt.keys, tt.want)
			}
			if !got.RawEquals(tt.want) {
				t.Errorf("Get(%v) = %#v, want %#v", tt.keys, got, tt.want)
			}
		})
	}
}

func TestSortResources(t *testing.T) {
	at := func(addr *Resource, file string, line int) *Resource {
		addr.Range = Range{File: file, StartLine: line}
		return addr
	}
	rs := []*Resource{
		at(&Resource{Type: "aws_vpc", Name: "b"}, "b.tf", 1),
		at(&Resource{Type: "aws_instance", Name: "web", Key: "[1]"}, "a.tf", 10),
		at(&Resource{Type: "aws_instance", Name: "web", Key: "[0]"}, "a.tf", 10),
		at(&Resource{Type: "aws_vpc", Name: "z"}, "a.tf", 2),
		at(&Resource{Type: "aws_s3_bucket", Name: "x", Module: "module.m"}, "a/mod.tf", 30),
		at(&Resource{Type: "aws_s3_bucket", Name: "x"}, "a.tf", 10),
	}
	SortResources(rs)
	want := []string{
		"aws_vpc.z",                // a.tf:2
		"aws_instance.web[0]",      // a.tf:10
		"aws_instance.web[1]",      // a.tf:10
		"aws_s3_bucket.x",          // a.tf:10
		"module.m.aws_s3_bucket.x", // a/mod.tf ("." sorts before "/")
		"aws_vpc.b",                // b.tf
	}
	if got := addresses(rs); !reflect.DeepEqual(got, want) {
		t.Errorf("SortResources = %v, want %v", got, want)
	}
	SortResources(nil) // must not panic
}

// Rules may run in parallel over one State; the lazily built index must
// hand every caller the same answer (run with -race).
func TestIndexConcurrent(t *testing.T) {
	s, rootLogs, _, _ := linkState()
	var wg sync.WaitGroup
	results := make([][]string, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := addresses(s.OfType("aws_s3_bucket"))
			got = append(got, addresses(s.Referring(rootLogs, "aws_s3_bucket_versioning", "bucket", ""))...)
			results[i] = got
		}()
	}
	wg.Wait()
	want := []string{
		"aws_s3_bucket.logs", "module.store.aws_s3_bucket.logs", "aws_s3_bucket.other",
		"aws_s3_bucket_versioning.by_ref", "aws_s3_bucket_versioning.both",
	}
	for i, got := range results {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("goroutine %d got %v, want %v", i, got, want)
		}
	}
}

func TestIsolate(t *testing.T) {
	bucket := func(root string) *Resource {
		r := managed("aws_s3_bucket", "logs")
		r.Root = root
		return r
	}
	versioning := func(root string) *Resource {
		r := managed("aws_s3_bucket_versioning", "logs",
			attr("bucket", cty.UnknownVal(cty.String), 3, "aws_s3_bucket.logs"))
		r.Root = root
		return r
	}
	prodBucket, devBucket, devVersioning := bucket("prod"), bucket("dev"), versioning("dev")
	s := &State{Resources: []*Resource{prodBucket, devBucket, devVersioning}}
	s.Isolate()
	s.Isolate() // a second call changes nothing
	if got := s.Referring(prodBucket, "aws_s3_bucket_versioning", "bucket", ""); len(got) != 0 {
		t.Errorf("prod's bucket borrowed dev's versioning: %v", addresses(got))
	}
	if got := s.Referring(devBucket, "aws_s3_bucket_versioning", "bucket", ""); len(got) != 1 {
		t.Errorf("dev's bucket lost its versioning: %v", addresses(got))
	}
	if got, want := devVersioning.Attr("bucket").Refs, []string{"dev:aws_s3_bucket.logs"}; !reflect.DeepEqual(got, want) {
		t.Errorf("refs %v, want %v", got, want)
	}
	if typ, data := RefType("dev:aws_s3_bucket.logs"); typ != "aws_s3_bucket" || data {
		t.Errorf("RefType of a qualified ref: %q %v", typ, data)
	}
	if prodBucket.Address() != "aws_s3_bucket.logs" {
		t.Errorf("the address users see stays unqualified: %q", prodBucket.Address())
	}
	if got := s.InRoot("dev", "aws_s3_bucket", "aws_s3_bucket_versioning"); len(got) != 2 {
		t.Errorf("InRoot(dev): %v", addresses(got))
	}

	// One root: nothing is qualified.
	single := &State{Resources: []*Resource{bucket("prod"), versioning("prod")}}
	single.Isolate()
	if ref := single.Resources[1].Attr("bucket").Refs[0]; ref != "aws_s3_bucket.logs" {
		t.Errorf("a single root keeps plain refs, got %q", ref)
	}
}
