package kubernetes

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	kresource "sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/resid"
)

// kustomizationNames are the file names kustomize reads, in its order.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

func isKustomizationFile(rel string) bool {
	base := path.Base(rel)
	for _, n := range kustomizationNames {
		if base == n {
			return true
		}
	}
	return false
}

// kustomization is a kustomization file as read before building it: what
// it refers to, so that roots can be told from bases and the files it uses
// are not also loaded as plain manifests.
type kustomization struct {
	rel  string // the file
	dir  string // its directory
	kind string // Kustomization or Component
	// bases are the directories it builds on (resources and components
	// that are directories), relative to the scan root.
	bases []string
	// uses are the files it reads, relative to the scan root.
	uses []string
	// patches are its patches, in files or inline, in the order kustomize
	// applies them.
	patches []*patchSource
	// remote is the first remote base or file it names, with its line.
	remote     string
	remoteLine int
	err        *finding.Error
}

// kustomizations reads every kustomization file outside charts. The parts
// returned carry the errors of files that do not parse.
func (l *loader) kustomizations(charts []string) (map[string]*kustomization, []part) {
	out := map[string]*kustomization{}
	var parts []part
	for _, f := range l.files {
		if !isKustomizationFile(f.Rel) || inDirs(f.Rel, charts) {
			continue
		}
		dir := relDir(f.Rel)
		if _, dup := out[dir]; dup {
			// kustomize refuses a directory with two; building reports it.
			continue
		}
		k := &kustomization{rel: f.Rel, dir: dir}
		out[dir] = k
		src, err := os.ReadFile(f.Abs)
		if err != nil {
			k.err = &finding.Error{File: f.Rel, Message: err.Error()}
			continue
		}
		if err := k.parse(src); err != nil {
			k.err = err
			parts = append(parts, part{errors: []finding.Error{*err}, files: []string{f.Rel}})
		}
	}
	return out, parts
}

// parse reads the fields of a kustomization that name other files.
func (k *kustomization) parse(src []byte) *finding.Error {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		pe := newParseError(err, chunk{text: src})
		e := errorf(k.rel, pe.line, "invalid YAML: %s", pe.msg)
		return &e
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	root, _ := resolve(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		e := errorf(k.rel, root.Line, "a kustomization must be a mapping")
		return &e
	}
	k.kind = scalarField(root, "kind")
	for _, r := range kustomizationRefs(root) {
		if isRemote(r.value) {
			if k.remote == "" {
				k.remote, k.remoteLine = r.value, r.line
			}
			continue
		}
		p := relJoin(k.dir, r.value)
		if r.base {
			k.bases = append(k.bases, p)
		}
		k.uses = append(k.uses, p)
	}
	k.patches = kustomizationPatches(root, k)
	return nil
}

type kref struct {
	value string
	line  int
	base  bool // may be a directory holding another kustomization
}

// kustomizationRefs lists the paths a kustomization names, in every field
// kustomize reads files from.
func kustomizationRefs(root *yaml.Node) []kref {
	var out []kref
	scalars := func(n *yaml.Node, base bool) {
		for _, e := range sequence(n) {
			if e, _ = resolve(e); e.Kind == yaml.ScalarNode && e.Value != "" && !strings.Contains(e.Value, "\n") {
				out = append(out, kref{value: strings.TrimSpace(e.Value), line: e.Line, base: base})
			}
		}
	}
	fieldOf := func(n *yaml.Node, key string) {
		n, _ = resolve(n)
		if n.Kind != yaml.MappingNode {
			return
		}
		if v := field(n, key); v != nil {
			if v, _ = resolve(v); v.Kind == yaml.ScalarNode && v.Value != "" {
				out = append(out, kref{value: strings.TrimSpace(v.Value), line: v.Line})
			}
		}
	}
	for _, key := range []string{"resources", "bases", "components"} {
		scalars(field(root, key), true)
	}
	for _, key := range []string{"crds", "configurations", "generators", "transformers", "validators"} {
		scalars(field(root, key), false)
	}
	for _, e := range sequence(field(root, "patchesStrategicMerge")) {
		if e, _ = resolve(e); e.Kind == yaml.ScalarNode && e.Value != "" && !isInlinePatch(e.Value) {
			out = append(out, kref{value: strings.TrimSpace(e.Value), line: e.Line})
		}
	}
	for _, key := range []string{"patches", "patchesJson6902", "replacements"} {
		for _, e := range sequence(field(root, key)) {
			fieldOf(e, "path")
		}
	}
	if o := field(root, "openapi"); o != nil {
		fieldOf(o, "path")
	}
	for _, key := range []string{"configMapGenerator", "secretGenerator"} {
		for _, g := range sequence(field(root, key)) {
			if g, _ = resolve(g); g.Kind != yaml.MappingNode {
				continue
			}
			start := len(out)
			scalars(field(g, "files"), false)
			scalars(field(g, "envs"), false)
			fieldOf(g, "env")
			for i := start; i < len(out); i++ {
				// files entries may be "key=path".
				if _, p, ok := strings.Cut(out[i].value, "="); ok {
					out[i].value = p
				}
			}
		}
	}
	return out
}

// patchSource is one patch of a kustomization: where its text is written
// and which objects it changes.
type patchSource struct {
	// file holds the patch text, relative to the scan root: the patch
	// file, or the kustomization for a patch written inline.
	file string
	// inline is the text of a patch written in the kustomization, parsed
	// when the kustomization is read; nil for a patch file.
	inline *parsedPatch
	// json is set for patchesJson6902, whose text is an operation list
	// whatever it looks like; under patches the text decides.
	json bool
	// target selects the objects the patch changes; nil when the patch
	// names them itself (a strategic-merge patch without a target).
	target *types.Selector
	// targetRe is target compiled; nil when it does not compile, and then
	// it selects nothing.
	targetRe *types.SelectorRegex
}

// parsedPatch is a patch's text, parsed: strategic-merge objects or a
// JSON6902 operation list.
type parsedPatch struct {
	objs []sourceObject
	json bool
	ops  []jsonOp
	// off is the number of file lines before the operation list.
	off int
	// pin, when set, is the lines of a patch written in a quoted or
	// folded string: its lines are not the file's, so everything it sets
	// points at the string as a whole.
	pin *[2]int
}

// kustomizationPatches lists a kustomization's patches in the order
// kustomize applies them: patchesStrategicMerge, patches, then (after the
// name and namespace changes) patchesJson6902.
func kustomizationPatches(root *yaml.Node, k *kustomization) []*patchSource {
	var out []*patchSource
	for _, e := range sequence(field(root, "patchesStrategicMerge")) {
		if e, _ = resolve(e); e.Kind != yaml.ScalarNode || strings.TrimSpace(e.Value) == "" {
			continue
		}
		if isInlinePatch(e.Value) {
			out = append(out, &patchSource{file: k.rel, inline: parseInlinePatch(e, false)})
		} else if p := strings.TrimSpace(e.Value); !isRemote(p) {
			out = append(out, &patchSource{file: relJoin(k.dir, p)})
		}
	}
	for _, key := range []string{"patches", "patchesJson6902"} {
		for _, e := range sequence(field(root, key)) {
			if e, _ = resolve(e); e.Kind != yaml.MappingNode {
				continue
			}
			ps := &patchSource{json: key == "patchesJson6902"}
			if t := field(e, "target"); t != nil {
				ps.target = &types.Selector{}
				if t.Decode(ps.target) == nil {
					ps.targetRe, _ = types.NewSelectorRegex(ps.target)
				}
			}
			text, path := field(e, "patch"), field(e, "path")
			switch {
			case text != nil:
				if text, _ = resolve(text); text.Kind != yaml.ScalarNode || strings.TrimSpace(text.Value) == "" {
					continue
				}
				ps.file, ps.inline = k.rel, parseInlinePatch(text, ps.json)
			case path != nil:
				if path, _ = resolve(path); path.Kind != yaml.ScalarNode || strings.TrimSpace(path.Value) == "" || isRemote(path.Value) {
					continue
				}
				ps.file = relJoin(k.dir, strings.TrimSpace(path.Value))
			default:
				continue
			}
			out = append(out, ps)
		}
	}
	return out
}

// isInlinePatch reports whether a patchesStrategicMerge entry is the
// patch itself rather than a file name: kustomize first tries to read an
// entry as objects.
func isInlinePatch(s string) bool {
	if strings.Contains(strings.TrimSpace(s), "\n") {
		return true
	}
	var doc yaml.Node
	return yaml.Unmarshal([]byte(s), &doc) == nil && len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode
}

// parseInlinePatch parses a patch written as a string in the
// kustomization. A literal block scalar ("|", "|-", "|2") keeps the
// file's lines: its text starts on the line after the indicator, so the
// patch's line 1 is the file's n.Line+1. Any other string is pinned.
func parseInlinePatch(n *yaml.Node, json bool) *parsedPatch {
	pp := parsePatch([]byte(n.Value), n.Line, json)
	if n.Style&yaml.LiteralStyle == 0 {
		pp.pin = &[2]int{n.Line, scalarEnd(n)}
	}
	return pp
}

// parsePatch parses a patch's text; off is the number of file lines
// before it. An operation list is read from the first document only, as
// kustomize does.
func parsePatch(src []byte, off int, json bool) *parsedPatch {
	pp := &parsedPatch{}
	docs, _ := parseDocuments(src)
	for i, d := range docs {
		n, _ := resolve(d.node)
		if n.Kind == yaml.SequenceNode && i == 0 {
			pp.json, pp.off = true, d.off+off
			pp.ops = parseOps(n)
			return pp
		}
		if json {
			return pp
		}
		if n.Kind != yaml.MappingNode {
			continue
		}
		objs := objects(n, 0)
		if len(objs) == 0 && !strings.HasPrefix(scalarField(n, "apiVersion"), "kustomize.config.k8s.io/") {
			// A patch with a target needs no apiVersion.
			objs = []*yaml.Node{n}
		}
		for _, o := range objs {
			pp.objs = append(pp.objs, sourceObject{node: o, off: d.off + off})
		}
	}
	return pp
}

// sequence is the elements of a sequence node, nil for anything else.
func sequence(n *yaml.Node) []*yaml.Node {
	if n == nil {
		return nil
	}
	if n, _ = resolve(n); n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

var scpLike = regexp.MustCompile(`^[^/@:]+@[^/:]+:`)

// isRemote reports whether kustomize would fetch a path over the network:
// a URL, a go-getter "git::" form, an SCP-style git address, or a GitHub
// repository path, the forms kustomize's repospec accepts.
func isRemote(p string) bool {
	lower := strings.ToLower(p)
	return strings.Contains(p, "://") ||
		strings.HasPrefix(lower, "git::") ||
		strings.HasPrefix(lower, "github.com/") || strings.HasPrefix(lower, "github.com:") ||
		scpLike.MatchString(p)
}

// ownedFiles are the files some kustomization reads: they are loaded only
// through the kustomization (a strategic-merge patch looks like an object
// but is only a fragment of one).
func ownedFiles(kusts map[string]*kustomization) map[string]bool {
	out := map[string]bool{}
	for _, k := range kusts {
		for _, u := range k.uses {
			out[u] = true
		}
	}
	return out
}

// kustomizeRoots are the kustomizations no other kustomization in the scan
// builds on: each is built once, and its bases come along.
func kustomizeRoots(kusts map[string]*kustomization) []*kustomization {
	based := map[string]bool{}
	for _, k := range kusts {
		for _, b := range k.bases {
			based[b] = true
		}
	}
	var out []*kustomization
	for dir, k := range kusts {
		if based[dir] || k.err != nil || k.kind == "Component" {
			continue
		}
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out
}

// closure is the kustomization and every local kustomization under it.
func closure(k *kustomization, kusts map[string]*kustomization) []*kustomization {
	seen := map[string]bool{}
	var out []*kustomization
	var visit func(k *kustomization)
	visit = func(k *kustomization) {
		if seen[k.dir] {
			return
		}
		seen[k.dir] = true
		out = append(out, k)
		for _, b := range k.bases {
			if bk, ok := kusts[b]; ok {
				visit(bk)
			}
		}
	}
	visit(k)
	return out
}

// kustomizeMu serialises builds: kustomize keeps the OpenAPI schema it
// builds with in a package variable, so two builds at once could see each
// other's schema.
var kustomizeMu sync.Mutex

// build runs kustomize on a root kustomization and loads its output.
func (l *loader) build(k *kustomization, kusts map[string]*kustomization) (p part) {
	for _, c := range closure(k, kusts) {
		p.files = append(p.files, c.rel)
		if c.remote != "" {
			p.errors = append(p.errors, errorf(c.rel, c.remoteLine,
				"kustomize: %q is remote; fixity reads local files only, so this kustomization is not built", c.remote))
		}
	}
	if len(p.errors) > 0 {
		return p
	}
	defer func() {
		if r := recover(); r != nil {
			p.resources = nil
			p.errors = []finding.Error{errorf(k.rel, 1, "internal error while building the kustomization: %v", r)}
		}
	}()
	kustomizeMu.Lock()
	defer kustomizeMu.Unlock()

	abs := filepath.Join(l.root, filepath.FromSlash(k.dir))
	fs := &buildFS{FileSystem: filesys.MakeFsOnDisk(), root: abs}
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, abs)
	if err != nil {
		if fs.remote != "" {
			p.errors = append(p.errors, errorf(k.rel, 1, "kustomize: %q is remote; fixity reads local files only, so this kustomization is not built", fs.remote))
		} else {
			p.errors = append(p.errors, errorf(k.rel, 1, "kustomize build: %v", err))
		}
		return p
	}
	b := &built{k: k, sources: map[string][]sourceObject{}, parsed: map[string]*parsedPatch{}}
	for _, c := range closure(k, kusts) {
		// An overlay's patches apply after its bases', and within one
		// kustomization a later patch after an earlier one.
		for i := len(c.patches) - 1; i >= 0; i-- {
			ps := c.patches[i]
			b.patches = append(b.patches, ps)
			if ps.inline == nil && !strings.HasPrefix(ps.file, "../") {
				p.files = append(p.files, ps.file)
			}
		}
	}
	for _, r := range m.Resources() {
		res, used, err := l.kustomizedResource(b, r)
		if err != nil {
			p.errors = append(p.errors, errorf(k.rel, 1, "kustomize output: %v", err))
			continue
		}
		if used != "" {
			p.files = append(p.files, used)
		}
		p.resources = append(p.resources, res)
	}
	return p
}

// originKey is the annotation kustomize records an object's source file in.
const originKey = "config.kubernetes.io/origin"

// sourceObject is an object of a file a kustomization reads.
type sourceObject struct {
	node *yaml.Node
	off  int
}

// built is one kustomization build's output being placed in its sources.
type built struct {
	k       *kustomization
	patches []*patchSource            // the last applied first
	sources map[string][]sourceObject // parsed source files
	parsed  map[string]*parsedPatch   // parsed patch files
}

func (b *built) objects(l *loader, rel string) []sourceObject {
	objs, ok := b.sources[rel]
	if !ok {
		objs = l.sourceObjects(rel)
		b.sources[rel] = objs
	}
	return objs
}

// kustomizedResource converts one built object, placing it in the file it
// came from when that is a local file under the scan root, else on the
// kustomization; values a patch sets point into the patch.
func (l *loader) kustomizedResource(b *built, r *kresource.Resource) (*model.Resource, string, error) {
	k := b.k
	origin, _ := r.GetOrigin()
	ann := r.GetAnnotations()
	delete(ann, originKey)
	if err := r.SetAnnotations(ann); err != nil {
		return nil, "", err
	}
	text, err := r.AsYAML()
	if err != nil {
		return nil, "", err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, "", err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, "", errors.New("empty object")
	}
	obj := doc.Content[0]

	file := k.rel
	if origin != nil && origin.Repo == "" {
		switch {
		case origin.ConfiguredIn != "":
			file = relJoin(k.dir, origin.ConfiguredIn)
		case origin.Path != "":
			file = relJoin(k.dir, origin.Path)
		}
	}
	if file == ".." || strings.HasPrefix(file, "../") {
		file = k.rel
	}
	kind, name := r.GetKind(), r.GetName()
	var src *sourceObject
	if origin != nil && origin.ConfiguredIn == "" && file != k.rel {
		src = matchSource(b.objects(l, file), kind, name, true)
	}
	var patches []locator
	for _, ps := range b.patches {
		if loc := b.patchLocator(l, ps, r, obj, src); loc != nil {
			patches = append(patches, loc)
		}
	}
	if src == nil {
		line := 1
		if origin != nil && origin.ConfiguredIn != "" {
			line = l.generatorLine(file, kind)
		}
		rng := model.Range{File: file, StartLine: line, EndLine: line}
		loc := patchLocator{base: fixedLocator{line: line}, patches: patches}
		res, err := newResource(newConverter(file, 0, loc), obj, rng)
		return res, "", err
	}
	rng := model.Range{File: file, StartLine: objectStart(src.node) + src.off, EndLine: lastLine(src.node) + src.off}
	loc := patchLocator{base: yamlLocator{node: src.node, off: src.off}, patches: patches}
	res, err := newResource(newConverter(file, 0, loc), obj, rng)
	return res, file, err
}

// patchLocator places the values a patch sets in the built object obj
// (r as kustomize has it, src the object it was read from, if known); nil
// when the patch does not change it.
func (b *built) patchLocator(l *loader, ps *patchSource, r *kresource.Resource, obj *yaml.Node, src *sourceObject) locator {
	pp := ps.inline
	if pp == nil {
		key := ps.file
		if ps.json {
			key += "\x00json"
		}
		var ok bool
		if pp, ok = b.parsed[key]; !ok {
			if text, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(ps.file))); err == nil {
				pp = parsePatch(text, 0, ps.json)
			}
			b.parsed[key] = pp
		}
		if pp == nil {
			return nil
		}
	}
	var loc locator
	switch {
	case pp.json:
		if !selects(ps, r, src) {
			return nil
		}
		ops := resolveOps(pp.ops, obj)
		if len(ops) == 0 {
			return nil
		}
		loc = jsonLocator{file: ps.file, off: pp.off, ops: ops}
	case ps.target != nil:
		// kustomize applies a strategic-merge patch with a target, whatever
		// it names, to every object the target selects; it allows one
		// object in such a patch.
		if len(pp.objs) != 1 || !selects(ps, r, src) {
			return nil
		}
		o := pp.objs[0]
		loc = yamlLocator{file: ps.file, node: o.node, off: o.off}
	default:
		o := matchSource(pp.objs, r.GetKind(), r.GetName(), false)
		if o == nil {
			return nil
		}
		loc = yamlLocator{file: ps.file, node: o.node, off: o.off}
	}
	if pp.pin != nil {
		loc = pinnedLocator{loc: loc, file: ps.file, start: pp.pin[0], end: pp.pin[1]}
	}
	return loc
}

// selects reports whether a patch's target selects a built object, the
// way kustomize selects: by group, version and kind; by the name and
// namespace the object has in its source or has now; by label and
// annotation selectors, on the built object.
func selects(ps *patchSource, r *kresource.Resource, src *sourceObject) bool {
	sel, sr := ps.target, ps.targetRe
	if sel == nil || sr == nil {
		return false
	}
	gvk := r.GetGvk()
	if !sr.MatchGvk(gvk) {
		return false
	}
	name, ns := r.GetName(), r.GetNamespace()
	srcName, srcNs := name, ns
	if src != nil {
		if meta := field(src.node, "metadata"); meta != nil {
			if meta, _ = resolve(meta); meta.Kind == yaml.MappingNode {
				srcName, srcNs = scalarField(meta, "name"), scalarField(meta, "namespace")
			}
		}
	}
	// Without a source (a generated object) the name the target saw is
	// unknown: a plain name in the built one, extended by a prefix, suffix
	// or hash, is taken as it — as a whole dash-separated part, so that
	// "app" does not select "webapp-config".
	loose := src == nil && sel.Name != "" && regexp.QuoteMeta(sel.Name) == sel.Name && hasNamePart(name, sel.Name)
	if !sr.MatchName(srcName) && !sr.MatchName(name) && !loose {
		return false
	}
	if !sr.MatchNamespace(resid.NewResIdWithNamespace(gvk, srcName, srcNs).EffectiveNamespace()) &&
		!sr.MatchNamespace(resid.NewResIdWithNamespace(gvk, name, ns).EffectiveNamespace()) {
		return false
	}
	if ok, err := r.MatchesLabelSelector(sel.LabelSelector); err != nil || !ok {
		return false
	}
	ok, err := r.MatchesAnnotationSelector(sel.AnnotationSelector)
	return err == nil && ok
}

// hasNamePart reports whether part occurs in name bounded by dashes or the
// ends of name: "dev-app-7h2k" has "app", "webapp-config" does not.
func hasNamePart(name, part string) bool {
	for i := 0; ; {
		j := strings.Index(name[i:], part)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(part)
		if (start == 0 || name[start-1] == '-') && (end == len(name) || name[end] == '-') {
			return true
		}
		i = start + 1
	}
}

// generatorLine is the line of the generator field that made a ConfigMap
// or Secret in a kustomization file, else 1.
func (l *loader) generatorLine(rel, kind string) int {
	src, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(rel)))
	if err != nil {
		return 1
	}
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return 1
	}
	key := "configMapGenerator"
	if kind == "Secret" {
		key = "secretGenerator"
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return 1
}

// sourceObjects parses the objects of a file a kustomization read.
func (l *loader) sourceObjects(rel string) []sourceObject {
	src, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	docs, _ := parseDocuments(src)
	var out []sourceObject
	for _, d := range docs {
		for _, o := range objects(d.node, 0) {
			out = append(out, sourceObject{node: o, off: d.off})
		}
	}
	return out
}

// matchSource finds the object a built one came from: same kind and name;
// else a name the build changed (namePrefix, nameSuffix) that contains the
// original; else, when loose, the only object of that kind.
func matchSource(objs []sourceObject, kind, name string, loose bool) *sourceObject {
	var sameKind []*sourceObject
	for i := range objs {
		o := &objs[i]
		if scalarField(o.node, "kind") != kind {
			continue
		}
		sameKind = append(sameKind, o)
		if meta := field(o.node, "metadata"); meta != nil {
			if meta, _ = resolve(meta); meta.Kind == yaml.MappingNode && scalarField(meta, "name") == name {
				return o
			}
		}
	}
	for _, o := range sameKind {
		if meta := field(o.node, "metadata"); meta != nil {
			if meta, _ = resolve(meta); meta.Kind == yaml.MappingNode {
				if n := scalarField(meta, "name"); n != "" && strings.Contains(name, n) {
					return o
				}
			}
		}
	}
	if loose && len(sameKind) == 1 {
		return sameKind[0]
	}
	return nil
}

// fixedLocator places everything on one line of the object's file.
type fixedLocator struct{ line int }

func (f fixedLocator) locate([]step, bool) (string, int, int, bool) { return "", f.line, f.line, true }

// buildFS is the disk as kustomize sees it, with two changes: the root
// kustomization asks for origin annotations (so built objects say which
// file they came from), and a kustomization that names a remote base or
// file is refused before kustomize would fetch it.
type buildFS struct {
	filesys.FileSystem
	root   string
	remote string
}

func (f *buildFS) ReadFile(p string) ([]byte, error) {
	data, err := f.FileSystem.ReadFile(p)
	if err != nil || !isKustomizationFile(filepath.ToSlash(p)) {
		return data, err
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return data, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return data, nil
	}
	for _, r := range kustomizationRefs(root) {
		if isRemote(r.value) {
			f.remote = r.value
			return nil, fmt.Errorf("%s: %q is remote and is not fetched", p, r.value)
		}
	}
	if filepath.Clean(filepath.Dir(p)) != filepath.Clean(f.root) {
		return data, nil
	}
	addBuildMetadata(root, "originAnnotations")
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return data, nil
	}
	return out, nil
}

// addBuildMetadata adds an option to a kustomization's buildMetadata list.
func addBuildMetadata(root *yaml.Node, opt string) {
	bm := field(root, "buildMetadata")
	if bm == nil {
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "buildMetadata"},
			&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
		bm = root.Content[len(root.Content)-1]
	}
	if bm.Kind != yaml.SequenceNode {
		return
	}
	for _, e := range bm.Content {
		if e.Value == opt {
			return
		}
	}
	bm.Content = append(bm.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: opt})
}
