package kubernetes

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
	"helm.sh/helm/v3/pkg/chart"
	chartloader "helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
)

// The release a chart is rendered as. Templates often use these in names
// and labels. The namespace is chosen only at install time (helm -n), so it
// is rendered as a marker that becomes an unknown value.
const (
	releaseName      = "fixity"
	releaseNamespace = "fixity-release-namespace"
)

// readHelmValues reads the extra values files in order, later files
// overriding earlier ones key by key, as helm merges -f files.
func readHelmValues(files []string) (map[string]any, []finding.Error) {
	out := map[string]any{}
	var errs []finding.Error
	for _, f := range files {
		v, err := chartutil.ReadValuesFile(f)
		if err != nil {
			errs = append(errs, errorf(f, yamlErrorLine(err.Error()), "helm values: %v", err))
			continue
		}
		out = mergeValues(out, v.AsMap())
	}
	return out, errs
}

// mergeValues merges b over a: nested tables merge, anything else replaces.
func mergeValues(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeValues(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// copyValues deep-copies values: rendering a chart may change the map it
// is given, and the same values serve every chart.
func copyValues(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = copyValues(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = copyValues(e)
		}
		return out
	}
	return v
}

// loadChart renders the chart in dir and loads the objects it produces.
func (l *loader) loadChart(dir string, values map[string]any) (p part) {
	chartFile := path.Join(dir, "Chart.yaml")
	for _, f := range l.files {
		if inDirs(f.Rel, []string{dir}) {
			p.files = append(p.files, f.Rel)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			p.resources = nil
			p.errors = []finding.Error{errorf(chartFile, 1, "internal error while rendering the chart: %v", r)}
		}
	}()
	abs := filepath.Join(l.root, filepath.FromSlash(dir))
	chrt, err := chartloader.LoadDir(abs)
	if err != nil {
		p.errors = append(p.errors, chartLoadError(dir, err))
		return p
	}
	if strings.EqualFold(chrt.Metadata.Type, "library") {
		p.notes = append(p.notes, finding.Note{File: chartFile, Message: "library chart: its templates are checked where another chart uses them"})
		return p
	}
	for _, m := range missingDependencies(chrt) {
		p.notes = append(p.notes, finding.Note{File: chartFile, Message: fmt.Sprintf("dependency %q is not in charts/ (run helm dependency build): its objects are not scanned", m)})
	}
	vals, _ := copyValues(values).(map[string]any)
	if err := chartutil.ProcessDependenciesWithMerge(chrt, vals); err != nil {
		p.errors = append(p.errors, errorf(chartFile, 1, "helm dependencies: %v", err))
		return p
	}
	caps := chartutil.DefaultCapabilities.Copy()
	top, err := chartutil.ToRenderValues(chrt, vals, chartutil.ReleaseOptions{
		Name: releaseName, Namespace: releaseNamespace, Revision: 1, IsInstall: true,
	}, caps)
	if err != nil {
		p.errors = append(p.errors, errorf(chartFile, 1, "helm values: %v", err))
		return p
	}
	files := templateFiles(chrt, dir, abs)
	rendered, err := engine.Render(chrt, top)
	if err != nil {
		p.errors = append(p.errors, renderError(chartFile, err, files))
		return p
	}
	keys := make([]string, 0, len(rendered))
	for k := range rendered {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if path.Base(k) == "NOTES.txt" || strings.TrimSpace(rendered[k]) == "" {
			continue
		}
		tf, ok := files[k]
		if !ok {
			tf = &templateFile{rel: path.Join(dir, k)}
		}
		res, errs := loadRendered(tf, rendered[k])
		for _, r := range res {
			installNamespace(r)
		}
		p.resources = append(p.resources, res...)
		p.errors = append(p.errors, errs...)
	}
	return p
}

// templateFile is a chart template: where it is, and its text for placing
// rendered objects back into it.
type templateFile struct {
	rel   string
	lines []string
}

// templateFiles maps the names helm renders templates under ("mychart/
// templates/x.yaml", "mychart/charts/sub/templates/y.yaml") to files
// relative to the scan root.
func templateFiles(c *chart.Chart, dir, abs string) map[string]*templateFile {
	out := map[string]*templateFile{}
	var walk func(c *chart.Chart, dir, abs string)
	walk = func(c *chart.Chart, dir, abs string) {
		for _, t := range c.Templates {
			if t == nil {
				continue
			}
			out[path.Join(c.ChartFullPath(), t.Name)] = &templateFile{
				rel:   path.Join(dir, t.Name),
				lines: strings.Split(string(t.Data), "\n"),
			}
		}
		subdirs := subchartDirs(c, abs)
		for _, d := range c.Dependencies() {
			sub, ok := subdirs[d.Name()]
			if !ok {
				sub = path.Join("charts", d.Name())
			}
			walk(d, path.Join(dir, sub), filepath.Join(abs, filepath.FromSlash(sub)))
		}
	}
	walk(c, dir, abs)
	return out
}

var archiveVersion = regexp.MustCompile(`^(.+?)-v?\d.*\.tgz$`)

// subchartDirs maps the names of the charts under a chart's charts/
// directory to their paths relative to the chart: a directory, whose name
// need not be the chart's, or an archive (templates inside an archive get
// paths such as charts/redis-17.0.0.tgz/templates/x.yaml, which name the
// archive they are in).
func subchartDirs(c *chart.Chart, abs string) map[string]string {
	out := map[string]string{}
	entries, err := os.ReadDir(filepath.Join(abs, "charts"))
	if err != nil {
		return out
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			data, err := os.ReadFile(filepath.Join(abs, "charts", name, "Chart.yaml"))
			if err != nil {
				continue
			}
			var meta struct{ Name string }
			if yaml.Unmarshal(data, &meta) == nil && meta.Name != "" {
				out[meta.Name] = "charts/" + name
			}
			if _, ok := out[name]; !ok {
				out[name] = "charts/" + name
			}
			continue
		}
		if m := archiveVersion.FindStringSubmatch(name); m != nil {
			if _, ok := out[m[1]]; !ok {
				out[m[1]] = "charts/" + name
			}
		}
	}
	// Aliased dependencies render under their alias.
	if c.Metadata != nil {
		for _, d := range c.Metadata.Dependencies {
			if d != nil && d.Alias != "" {
				if sub, ok := out[d.Name]; ok {
					out[d.Alias] = sub
				}
			}
		}
	}
	return out
}

// missingDependencies lists the dependencies Chart.yaml declares that are
// not vendored under charts/: helm would refuse to install the chart.
func missingDependencies(c *chart.Chart) []string {
	var out []string
	for _, r := range c.Metadata.Dependencies {
		if r == nil {
			continue
		}
		found := false
		for _, d := range c.Dependencies() {
			if d.Name() == r.Name || (r.Alias != "" && d.Name() == r.Alias) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, r.Name)
		}
	}
	return out
}

// loadRendered loads the objects of one rendered template, placing each
// back in the template text.
func loadRendered(tf *templateFile, text string) ([]*model.Resource, []finding.Error) {
	docs, perrs := parseDocuments([]byte(text))
	if len(perrs) > 0 {
		// helm install fails the same way: the whole chart is refused.
		var errs []finding.Error
		for _, pe := range perrs {
			errs = append(errs, errorf(tf.rel, 1, "rendered template is not valid YAML: %s", pe.msg))
		}
		return nil, errs
	}
	var objs []*yaml.Node
	for _, d := range docs {
		objs = append(objs, objects(d.node, 0)...)
	}
	sections := templateSections(tf.lines)
	byKind := sectionsByKind(sections, tf.lines)
	locs := map[span]*templateLocator{}
	var out []*model.Resource
	var errs []finding.Error
	for i, o := range objs {
		sec := pickSection(sections, byKind, len(objs), i, scalarField(o, "kind"))
		loc, ok := locs[sec]
		if !ok {
			loc = newTemplateLocator(tf.lines, sec.start, sec.end+1)
			locs[sec] = loc
		}
		rng := model.Range{File: tf.rel, StartLine: sec.start, EndLine: sec.end}
		r, err := newResource(newConverter(tf.rel, 0, loc), o, rng)
		if err != nil {
			errs = append(errs, errorf(tf.rel, sec.start, "%v", err))
			continue
		}
		out = append(out, r)
	}
	return out, errs
}

// templateSections returns the line spans of a template's documents that
// hold more than template actions and comments.
func templateSections(lines []string) []span {
	var out []span
	cur := span{}
	flush := func() {
		if cur.start > 0 {
			out = append(out, cur)
		}
		cur = span{}
	}
	for i, l := range lines {
		ln := i + 1
		if isMarker([]byte(l), "---") {
			flush()
			continue
		}
		text := strings.TrimSpace(actionRe.ReplaceAllString(l, ""))
		if text == "" || strings.HasPrefix(text, "#") {
			if cur.start > 0 && strings.TrimSpace(l) != "" && !strings.HasPrefix(text, "#") {
				cur.end = ln
			}
			continue
		}
		if cur.start == 0 {
			cur.start = ln
		}
		cur.end = ln
	}
	flush()
	if len(out) == 0 {
		out = append(out, span{start: 1, end: max(1, len(lines))})
	}
	return out
}

var kindLine = regexp.MustCompile(`^\s*kind:\s*["']?([^"'\s]+)["']?\s*$`)

// sectionsByKind maps each kind a template writes literally ("kind:
// Deployment") to the first section writing it.
func sectionsByKind(secs []span, lines []string) map[string]span {
	out := map[string]span{}
	for _, s := range secs {
		for ln := s.start; ln <= s.end && ln <= len(lines); ln++ {
			if m := kindLine.FindStringSubmatch(lines[ln-1]); m != nil {
				if _, ok := out[m[1]]; !ok {
					out[m[1]] = s
				}
			}
		}
	}
	return out
}

// pickSection chooses the template document an object came from: by
// position when the template has as many documents as it rendered, else the
// first one that names the object's kind, else the whole template.
func pickSection(secs []span, byKind map[string]span, objs, i int, kind string) span {
	if len(secs) == objs {
		return secs[i]
	}
	if s, ok := byKind[kind]; ok {
		return s
	}
	return span{start: secs[0].start, end: secs[len(secs)-1].end}
}

// templateLoc finds "mychart/templates/x.yaml:12" in helm's error messages
// ("parse error at (mychart/templates/x.yaml:12): ...", "execution error at
// (mychart/templates/x.yaml:12:3): ...", "template: mychart/templates/x.yaml:12:3: ...").
var templateLoc = regexp.MustCompile(`([^\s():"']+/templates/[^\s():"']+):(\d+)`)

// renderError turns a helm rendering error into an entry naming the
// template and line when the message has them, else Chart.yaml.
func renderError(chartFile string, err error, files map[string]*templateFile) finding.Error {
	msg := err.Error()
	if m := templateLoc.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		file := chartFile
		if _, inChart, ok := strings.Cut(m[1], "/"); ok {
			file = path.Join(path.Dir(chartFile), inChart)
		}
		if tf, ok := files[m[1]]; ok {
			file = tf.rel
		}
		return errorf(file, line, "helm template: %s", msg)
	}
	return errorf(chartFile, 1, "helm template: %s", msg)
}

var lineRe = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(msg string) int {
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

// chartLoadError places an error loading a chart: in the values file or
// Chart.yaml it names, at the line the YAML error gives.
func chartLoadError(dir string, err error) finding.Error {
	msg := err.Error()
	file := "Chart.yaml"
	if m := regexp.MustCompile(`(values[^\s:/]*\.ya?ml)`).FindStringSubmatch(msg); m != nil {
		file = m[1]
	}
	return errorf(path.Join(dir, file), yamlErrorLine(msg), "helm chart: %s", msg)
}

// installNamespace makes what the release namespace decides unknown, as it
// is until `helm install -n`: values that name it, and the namespace of
// objects that name none (helm puts those in the release namespace).
func installNamespace(r *model.Resource) {
	unknownNamespace(r.Body)
	meta := r.Body.Block("metadata")
	if meta != nil && meta.Attr("namespace") == nil {
		meta.Attrs["namespace"] = &model.Attribute{Name: "namespace", Value: cty.UnknownVal(cty.String), Range: meta.Range}
	}
	if meta != nil {
		if ns := meta.Attr("namespace"); ns != nil && !ns.Value.IsKnown() {
			r.Label = strings.TrimPrefix(r.Label, releaseNamespace+"/")
		}
	}
}

func unknownNamespace(b *model.Block) {
	for _, a := range b.Attrs {
		if s, ok := model.AsString(a.Value); ok && a.Value.Type() == cty.String && strings.Contains(s, releaseNamespace) {
			a.Value = cty.UnknownVal(cty.String)
		}
	}
	for _, c := range b.Blocks {
		unknownNamespace(c)
	}
}
