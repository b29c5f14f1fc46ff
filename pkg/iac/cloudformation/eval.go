package cloudformation

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// Bounds on the work one template may cause. YAML aliases let a small file
// describe an exponentially large value; past these bounds what is left is
// unknown and the file gets an error.
const (
	baseSteps = 1 << 17 // nodes evaluated, plus one per byte of the file
	maxDepth  = 256     // nesting of values and function calls
	maxString = 1 << 20 // bytes of one computed string
	maxList   = 1 << 12 // elements of one computed list
)

// param is a template parameter's declaration.
type param struct {
	typ string
	def *yaml.Node
}

// evaluator computes template values the way CloudFormation resolves them
// at deploy time, leaving unknown what only the deployment knows.
type evaluator struct {
	given     map[string]string // values from --cfn-params
	params    map[string]param
	paramVals map[string]*val
	mappings  *yaml.Node
	conds     map[string]*yaml.Node
	condVals  map[string]tri
	condBusy  map[string]bool
	// resources maps logical IDs to the base address their Ref and
	// Fn::GetAtt values refer to.
	resources map[string]string
	ends      map[*yaml.Node]int

	steps     int
	budget    int
	exhausted bool

	// transformed is set when the template has a Transform (SAM, a macro,
	// language extensions): it may then refer to resources and use
	// functions the transform supplies, so unresolved names are no error.
	transformed bool
	// invalid lists calls CloudFormation would reject, once each.
	invalid []lineError
}

// lineError is a problem on one line of a template.
type lineError struct {
	line int
	msg  string
}

// reject records a call CloudFormation would refuse to deploy.
func (e *evaluator) reject(line int, format string, args ...any) {
	le := lineError{line, fmt.Sprintf(format, args...)}
	if !slices.Contains(e.invalid, le) {
		e.invalid = append(e.invalid, le)
	}
}

// pseudoParams are the names Ref accepts beside parameters and resources.
var pseudoParams = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::NoValue": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

// knownFunctions are the intrinsics CloudFormation evaluates in resource
// properties; Fn::Length and Fn::ToJsonString come with the
// AWS::LanguageExtensions transform and Fn::Transform with any macro.
var knownFunctions = map[string]bool{
	"Ref": true, "Condition": true, "Fn::GetAtt": true, "Fn::Sub": true, "Fn::Join": true, "Fn::Select": true,
	"Fn::Split": true, "Fn::FindInMap": true, "Fn::If": true, "Fn::Base64": true, "Fn::Cidr": true,
	"Fn::GetAZs": true, "Fn::ImportValue": true, "Fn::Equals": true, "Fn::And": true, "Fn::Or": true,
	"Fn::Not": true, "Fn::Transform": true, "Fn::Length": true, "Fn::ToJsonString": true,
}

// shapeOK reports whether a function's argument node can be a list of n
// values: a literal list must have n items; another function call may
// produce a list, which the evaluation then checks.
func shapeOK(arg *yaml.Node, n ...int) bool {
	a := resolve(arg)
	if _, _, isFn := intrinsic(a); isFn {
		return true
	}
	return a.Kind == yaml.SequenceNode && slices.Contains(n, len(a.Content))
}

func newEvaluator(given map[string]string, size int) *evaluator {
	return &evaluator{
		budget:    baseSteps + size,
		given:     given,
		params:    map[string]param{},
		paramVals: map[string]*val{},
		conds:     map[string]*yaml.Node{},
		condVals:  map[string]tri{},
		condBusy:  map[string]bool{},
		resources: map[string]string{},
		ends:      map[*yaml.Node]int{},
	}
}

// spend counts one step of work; true means the budget is gone.
func (e *evaluator) spend(depth int) bool {
	e.steps++
	if e.steps > e.budget || depth > maxDepth {
		e.exhausted = true
		return true
	}
	return false
}

// eval evaluates a template node. Property values and their members keep
// the lines they are written on.
func (e *evaluator) eval(n *yaml.Node, depth int) *val {
	start, end := n.Line, e.endLine(n)
	if e.spend(depth) {
		return unknownVal().at(start, end)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return scalarVal(cty.NullVal(cty.DynamicPseudoType)).at(start, end)
		}
		return e.eval(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return unknownVal().at(start, end)
		}
		return e.eval(n.Alias, depth+1).at(start, end)
	}
	if fn, arg, ok := intrinsic(n); ok {
		return placed(e.call(fn, arg, depth+1), start, end)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return scalar(n).at(start, end)
	case yaml.SequenceNode:
		out := &val{kind: kindList, start: start, end: end}
		for _, c := range n.Content {
			if v := e.eval(c, depth+1); v.kind != kindNoValue {
				out.elems = append(out.elems, v)
			}
		}
		return out
	case yaml.MappingNode:
		out := &val{kind: kindObject, start: start, end: end}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolve(n.Content[i])
			if v := e.eval(n.Content[i+1], depth+1); v.kind != kindNoValue {
				out.fields = append(out.fields, field{key: k.Value, line: n.Content[i].Line, val: v})
			}
		}
		return out
	}
	return unknownVal().at(start, end)
}

// placed puts a function's result on the call's lines; list members that
// the function made up (Fn::Split) get them too.
func placed(v *val, start, end int) *val {
	out := v.at(start, end)
	if out.kind == kindList {
		elems := make([]*val, len(out.elems))
		for i, el := range out.elems {
			if el.start == 0 {
				el = el.at(start, end)
			}
			elems[i] = el
		}
		out.elems = elems
	}
	return out
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// endLine is the last line a node is written on, remembered per node so
// that evaluating a large template stays linear.
func (e *evaluator) endLine(n *yaml.Node) int {
	if end, ok := e.ends[n]; ok {
		return end
	}
	end := n.Line
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			// The indicator line, then one line per line of text.
			end += strings.Count(strings.TrimRight(n.Value, "\n"), "\n") + 1
		}
	case yaml.MappingNode, yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			if ce := e.endLine(c); ce > end {
				end = ce
			}
		}
	}
	e.ends[n] = end
	return end
}

// intrinsic recognises a function call: a short-form tag (!Ref x,
// !GetAtt a.b, !Sub ...) or a mapping with the single key Ref or Fn::*.
// A mapping {Condition: name} is a function only where a condition is
// expected: elsewhere Condition is an ordinary key (IAM statements have
// one).
func intrinsic(n *yaml.Node) (fn string, arg *yaml.Node, ok bool) {
	if t := n.Tag; len(t) > 1 && t[0] == '!' && t[1] != '!' {
		name := strings.TrimPrefix(t, "!")
		switch name {
		case "Ref", "Condition":
			fn = name
		default:
			fn = "Fn::" + name
		}
		c := *n
		c.Tag = ""
		c.Style &^= yaml.TaggedStyle
		return fn, &c, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := resolve(n.Content[0]).Value
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, n.Content[1], true
		}
	}
	return "", nil, false
}

// scalar converts a plain YAML or JSON scalar.
func scalar(n *yaml.Node) *val {
	switch n.ShortTag() {
	case "!!null":
		return scalarVal(cty.NullVal(cty.DynamicPseudoType))
	case "!!bool":
		return scalarVal(cty.BoolVal(strings.EqualFold(n.Value, "true")))
	case "!!int", "!!float":
		if v, err := cty.ParseNumberVal(n.Value); err == nil {
			return scalarVal(v)
		}
	}
	return stringVal(n.Value)
}

// dynamicRef is a dynamic reference to a parameter or secret.
var dynamicRef = regexp.MustCompile(`\{\{resolve:[^}]*\}\}`)

// computed charges the work of building a string of n bytes, so that
// functions doubling strings through aliases stay within the budget.
func (e *evaluator) computed(n int) {
	e.steps += n >> 10
}

// stringVal makes a string value. A dynamic reference ({{resolve:ssm:x}},
// {{resolve:secretsmanager:x}}) is replaced at deploy time, so a string
// holding one is unknown; the text around it is known.
func stringVal(s string, refs ...string) *val {
	if strings.Contains(s, "{{resolve:") {
		return templateVal(dynamicRef.ReplaceAllLiteralString(s, unknownPart), refs...)
	}
	return scalarVal(cty.StringVal(s), refs...)
}

func triVal(t tri) *val {
	switch t {
	case triTrue:
		return scalarVal(cty.True)
	case triFalse:
		return scalarVal(cty.False)
	}
	return scalarVal(cty.UnknownVal(cty.Bool))
}

// args evaluates a function's argument list; ok is false unless it is a
// list of exactly n values.
func (e *evaluator) args(arg *yaml.Node, depth, n int) (*val, []*val, bool) {
	a := e.eval(arg, depth)
	items, ok := a.list()
	return a, items, ok && len(items) == n
}

func (e *evaluator) call(fn string, arg *yaml.Node, depth int) *val {
	if !knownFunctions[fn] && !e.transformed {
		e.reject(arg.Line, "unknown function %s", fn)
	}
	switch fn {
	case "Ref":
		a := e.eval(arg, depth)
		name, ok := a.str()
		if !ok {
			if a.kind == kindList || a.kind == kindObject {
				e.reject(arg.Line, "Ref: want the name of a parameter or resource")
			}
			return unknownString(a.allRefs()...)
		}
		if _, isParam := e.params[name]; !isParam && !e.transformed && !pseudoParams[name] && e.resources[name] == "" {
			e.reject(arg.Line, "Ref: no parameter or resource named %q", name)
		}
		return e.ref(name, depth)
	case "Fn::GetAtt":
		a := e.eval(arg, depth)
		var res string
		shape := true
		if s, ok := a.str(); ok {
			var attr string
			res, attr, _ = strings.Cut(s, ".")
			shape = res != "" && attr != ""
		} else if items, ok := a.list(); ok {
			shape = len(items) == 2
			if shape {
				res, _ = items[0].str()
			}
		} else if !a.unknown() {
			shape = false // a mapping, a number, nothing
		}
		if !shape {
			e.reject(arg.Line, `Fn::GetAtt: want "LogicalId.Attribute" or [LogicalId, Attribute]`)
		} else if res != "" && e.resources[res] == "" && !e.transformed {
			e.reject(arg.Line, "Fn::GetAtt: no resource named %q", res)
		}
		return e.getAtt(res)
	case "Fn::Sub":
		return e.sub(arg, depth)
	case "Fn::Join":
		if !shapeOK(arg, 2) {
			e.reject(arg.Line, "Fn::Join: want [delimiter, [values]]")
		}
		return e.join(arg, depth)
	case "Fn::Select":
		if !shapeOK(arg, 2) {
			e.reject(arg.Line, "Fn::Select: want [index, list]")
		}
		a, items, ok := e.args(arg, depth, 2)
		if !ok {
			return unknownVal(a.allRefs()...)
		}
		i, okI := model.AsInt(items[0].v)
		list, okL := items[1].list()
		if items[0].kind != kindScalar || !okI || !okL || i < 0 || i >= int64(len(list)) {
			return unknownVal(a.allRefs()...)
		}
		return list[i]
	case "Fn::Split":
		if !shapeOK(arg, 2) {
			e.reject(arg.Line, "Fn::Split: want [delimiter, string]")
		}
		a, items, ok := e.args(arg, depth, 2)
		if !ok {
			return scalarVal(cty.UnknownVal(cty.List(cty.String)), a.allRefs()...)
		}
		sep, ok1 := items[0].str()
		s, ok2 := items[1].str()
		if !ok1 || !ok2 || sep == "" {
			return scalarVal(cty.UnknownVal(cty.List(cty.String)), a.allRefs()...)
		}
		parts := strings.Split(s, sep)
		if len(parts) > maxList {
			return scalarVal(cty.UnknownVal(cty.List(cty.String)), a.allRefs()...)
		}
		out := &val{kind: kindList}
		for _, p := range parts {
			out.elems = append(out.elems, stringVal(p, a.allRefs()...))
		}
		return out
	case "Fn::FindInMap":
		if !shapeOK(arg, 3, 4) {
			e.reject(arg.Line, "Fn::FindInMap: want [MapName, TopLevelKey, SecondLevelKey]")
		}
		return e.findInMap(arg, depth)
	case "Fn::If":
		return e.fnIf(arg, depth)
	case "Fn::Base64":
		a := e.eval(arg, depth)
		s, ok := a.str()
		if !ok || base64.StdEncoding.EncodedLen(len(s)) > maxString {
			if a.unknown() && a.tmpl != "" {
				// The text stays readable under the encoding.
				return templateVal(a.tmpl, a.allRefs()...)
			}
			return unknownString(a.allRefs()...)
		}
		e.computed(len(s))
		return stringVal(base64.StdEncoding.EncodeToString([]byte(s)), a.allRefs()...)
	case "Fn::Cidr":
		return e.cidr(arg, depth)
	case "Fn::GetAZs":
		a := e.eval(arg, depth)
		return scalarVal(cty.UnknownVal(cty.List(cty.String)), a.allRefs()...)
	case "Fn::ImportValue":
		return unknownString(e.eval(arg, depth).allRefs()...)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition":
		return triVal(e.condCall(fn, arg, depth))
	case "Fn::Length":
		a := e.eval(arg, depth)
		if list, ok := a.list(); ok {
			return scalarVal(cty.NumberIntVal(int64(len(list))))
		}
		return scalarVal(cty.UnknownVal(cty.Number), a.allRefs()...)
	case "Fn::ToJsonString":
		a := e.eval(arg, depth)
		if s, ok := jsonString(a); ok {
			return stringVal(s, a.allRefs()...)
		}
		return unknownString(a.allRefs()...)
	}
	// Fn::Transform (a macro) and functions this loader does not know
	// produce values only the deployment knows.
	return unknownVal(e.eval(arg, depth).allRefs()...)
}

// ref resolves Ref: a pseudo parameter, a template parameter or a resource.
func (e *evaluator) ref(name string, depth int) *val {
	switch name {
	case "AWS::NoValue":
		return &val{kind: kindNoValue}
	case "AWS::Partition":
		return stringVal("aws")
	case "AWS::NotificationARNs":
		return scalarVal(cty.UnknownVal(cty.List(cty.String)))
	}
	if strings.HasPrefix(name, "AWS::") {
		return unknownString() // Region, AccountId, StackName, StackId, URLSuffix
	}
	if _, ok := e.params[name]; ok {
		return e.param(name, depth)
	}
	if base, ok := e.resources[name]; ok {
		return unknownString(base)
	}
	return unknownString()
}

func (e *evaluator) getAtt(res string) *val {
	if base, ok := e.resources[res]; ok {
		return unknownVal(base)
	}
	return unknownVal()
}

// param returns a parameter's value: from Options.Params, else its
// Default, else unknown. List types are split on commas as CloudFormation
// does; SSM parameter types are resolved at deploy time, so their value
// (even a default, which names the SSM parameter) is unknown.
func (e *evaluator) param(name string, depth int) *val {
	if v, ok := e.paramVals[name]; ok {
		return v
	}
	p := e.params[name]
	typ := strings.TrimSpace(p.typ)
	isList := typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<") ||
		strings.Contains(typ, "<List<") || strings.Contains(typ, "<CommaDelimitedList>")
	unknown := unknownString()
	if isList {
		unknown = scalarVal(cty.UnknownVal(cty.List(cty.String)))
	}
	// A default that refers to its own parameter must not loop.
	e.paramVals[name] = unknown
	var v *val
	switch {
	case strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<"):
		v = unknown
	case typ == "AWS::EC2::KeyPair::KeyName" && !hasKey(e.given, name) && p.def == nil:
		// CloudFormation accepts only the name of an existing key pair here:
		// which one is unknown, but that there is one is not.
		v = scalarVal(cty.UnknownVal(cty.String).RefineNotNull())
	case hasKey(e.given, name):
		v = stringVal(e.given[name])
	case p.def != nil:
		v = e.eval(p.def, depth+1)
	default:
		v = unknown
	}
	if isList {
		if s, ok := v.str(); ok {
			out := &val{kind: kindList, start: v.start, end: v.end}
			for _, part := range strings.Split(s, ",") {
				out.elems = append(out.elems, stringVal(strings.TrimSpace(part)).at(v.start, v.end))
			}
			v = out
		}
	} else if v.kind == kindScalar && v.v.IsKnown() && !v.v.IsNull() && v.v.Type() != cty.String {
		// Ref gives every parameter's value as a string, numbers included.
		if s, ok := v.str(); ok {
			v = stringVal(s).at(v.start, v.end)
		}
	}
	e.paramVals[name] = v
	return v
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// mappingGet returns the value of key in a mapping node, or nil.
func mappingGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil {
		return nil
	}
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var out *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if resolve(n.Content[i]).Value == key {
			out = n.Content[i+1]
		}
	}
	return out
}

// mappingKeyLine returns the line of key in a mapping node, or 0.
func mappingKeyLine(n *yaml.Node, key string) int {
	n = resolve(n)
	line := 0
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if resolve(n.Content[i]).Value == key {
			line = n.Content[i].Line
		}
	}
	return line
}
