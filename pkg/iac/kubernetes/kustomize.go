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
	"sigs.k8s.io/kustomize/kyaml/filesys"
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
	// patches are its strategic-merge patch files.
	patches []string
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
		if r.patch {
			k.patches = append(k.patches, p)
		}
		k.uses = append(k.uses, p)
	}
	return nil
}

type kref struct {
	value string
	line  int
	base  bool // may be a directory holding another kustomization
	patch bool // a strategic-merge patch
}

// kustomizationRefs lists the paths a kustomization names, in every field
// kustomize reads files from.
func kustomizationRefs(root *yaml.Node) []kref {
	var out []kref
	scalars := func(n *yaml.Node, base, patch bool) {
		if n == nil {
			return
		}
		n, _ = resolve(n)
		if n.Kind != yaml.SequenceNode {
			return
		}
		for _, e := range n.Content {
			if e, _ = resolve(e); e.Kind == yaml.ScalarNode && e.Value != "" && !strings.Contains(e.Value, "\n") {
				out = append(out, kref{value: strings.TrimSpace(e.Value), line: e.Line, base: base, patch: patch})
			}
		}
	}
	fieldOf := func(n *yaml.Node, key string, patch bool) {
		n, _ = resolve(n)
		if n.Kind != yaml.MappingNode {
			return
		}
		if v := field(n, key); v != nil {
			if v, _ = resolve(v); v.Kind == yaml.ScalarNode && v.Value != "" {
				out = append(out, kref{value: strings.TrimSpace(v.Value), line: v.Line, patch: patch})
			}
		}
	}
	for _, key := range []string{"resources", "bases", "components"} {
		scalars(field(root, key), true, false)
	}
	for _, key := range []string{"crds", "configurations", "generators", "transformers", "validators"} {
		scalars(field(root, key), false, false)
	}
	scalars(field(root, "patchesStrategicMerge"), false, true)
	for _, key := range []string{"patches", "patchesJson6902", "replacements"} {
		if seq := field(root, key); seq != nil {
			if seq, _ = resolve(seq); seq.Kind == yaml.SequenceNode {
				for _, e := range seq.Content {
					fieldOf(e, "path", key == "patches")
				}
			}
		}
	}
	if o := field(root, "openapi"); o != nil {
		fieldOf(o, "path", false)
	}
	for _, key := range []string{"configMapGenerator", "secretGenerator"} {
		seq := field(root, key)
		if seq == nil {
			continue
		}
		if seq, _ = resolve(seq); seq.Kind != yaml.SequenceNode {
			continue
		}
		for _, g := range seq.Content {
			if g, _ = resolve(g); g.Kind != yaml.MappingNode {
				continue
			}
			start := len(out)
			scalars(field(g, "files"), false, false)
			scalars(field(g, "envs"), false, false)
			fieldOf(g, "env", false)
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
	b := &built{k: k, sources: map[string][]sourceObject{}}
	for _, c := range closure(k, kusts) {
		b.patches = append(b.patches, c.patches...)
		for _, f := range c.patches {
			if !strings.HasPrefix(f, "../") {
				p.files = append(p.files, f)
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
	patches []string                  // patch files, the root's first
	sources map[string][]sourceObject // parsed source files
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
	var patches []locator
	for _, p := range b.patches {
		if o := matchSource(b.objects(l, p), kind, name, false); o != nil {
			patches = append(patches, yamlLocator{file: p, node: o.node, off: o.off})
		}
	}
	var src *sourceObject
	if origin != nil && origin.ConfiguredIn == "" && file != k.rel {
		src = matchSource(b.objects(l, file), kind, name, true)
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
