package kubernetes

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
	"gopkg.in/yaml.v3"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		rel  string
		want bool
	}{
		{"deploy.yaml", true},
		{"k8s/deploy.YML", true},
		{"svc.json", true},
		{"chart/Chart.yaml", true},
		{"chart/values-prod.yaml", true},
		{"chart/templates/_helpers.tpl", true},
		{"chart/templates/NOTES.txt", true},
		{"templates/deployment.yaml", true},
		{"overlay/Kustomization", true},
		{"overlay/kustomization.yml", true},
		{"main.tf", false},
		{"Dockerfile", false},
		{"README.md", false},
		{"src/templatesx/a.txt", false},
	}
	for _, tt := range tests {
		if got := Match(tt.rel); got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
}

// find returns the resource with the given label.
func find(t *testing.T, st *model.State, label string) *model.Resource {
	t.Helper()
	for _, r := range st.Resources {
		if r.Label == label {
			return r
		}
	}
	var have []string
	for _, r := range st.Resources {
		have = append(have, r.Label)
	}
	t.Fatalf("no resource %s; have %v", label, have)
	return nil
}

// at describes where a value is: the string form of the attribute and its
// range, "missing" when it is not set.
func at(a *model.Attribute) string {
	if a == nil {
		return "missing"
	}
	return valueString(a.Value) + " " + rangeString(a.Range)
}

func container(r *model.Resource, i int) *model.Block {
	cs := r.Body.Block("spec").Block("template").Block("spec").BlocksOf("containers")
	if i >= len(cs) {
		return nil
	}
	return cs[i]
}

func TestConversion(t *testing.T) {
	st := load(t, "testdata/manifests", Options{})
	web := find(t, st, "prod/Deployment/web")
	c0, c1 := container(web, 0), container(web, 1)
	spec := web.Body.Block("spec")
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"number", at(spec.Attr("replicas")), "number(3) deployment.yaml:11-11"},
		{"bool", at(spec.Attr("paused")), "bool(false) deployment.yaml:12-12"},
		{"quoted number stays a string", at(spec.Attr("revisionHistoryLimit")), `"5" deployment.yaml:13-13`},
		{"quoted bool stays a string", at(c0.BlocksOf("env")[0].Attr("value")), `"true" deployment.yaml:32-32`},
		{"nested block attribute", at(c0.Block("securityContext").Attr("privileged")), "bool(true) deployment.yaml:36-36"},
		{"zero", at(c0.Block("securityContext").Attr("runAsUser")), "number(0) deployment.yaml:37-37"},
		{"sequence of scalars", at(c0.Block("securityContext").Block("capabilities").Attr("add")), `["NET_ADMIN","SYS_TIME"] deployment.yaml:39-41`},
		{"flow sequence of mixed scalars", at(c0.Attr("args")), `["--port",8080,true] deployment.yaml:26-26`},
		{"block scalar spans its lines", at(c0.Attr("command")), `["/bin/sh","-c","echo start\nexec nginx\n"] deployment.yaml:42-47`},
		{"empty sequence", at(c0.Attr("volumeMounts")), "[] deployment.yaml:49-49"},
		{"mixed sequence", at(c1.Attr("mixed")), `["plain",{"key":"value"}] deployment.yaml:52-54`},
		{"null", at(web.Body.Block("spec").Block("template").Block("spec").Attr("tolerations")), "null deployment.yaml:55-55"},
		{"host namespace", at(spec.Block("template").Block("spec").Attr("hostNetwork")), "bool(true) deployment.yaml:22-22"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}

	blocks := []struct {
		name string
		b    *model.Block
		want string
	}{
		{"body", web.Body, "deployment.yaml:2-55"},
		{"mapping", web.Body.Block("metadata"), "deployment.yaml:4-9"},
		{"empty mapping", web.Body.Block("metadata").Block("annotations"), "deployment.yaml:9-9"},
		{"empty mapping in a container", c0.Block("resources"), "deployment.yaml:48-48"},
		{"first element of a sequence of mappings", c0, "deployment.yaml:24-49"},
		{"second element", c1, "deployment.yaml:50-54"},
		{"env entry", c0.BlocksOf("env")[1], "deployment.yaml:33-34"},
		{"port entry", c0.Block("ports"), "deployment.yaml:28-29"},
	}
	for _, tt := range blocks {
		if tt.b == nil {
			t.Errorf("%s: missing", tt.name)
			continue
		}
		if got := rangeString(tt.b.Range); got != tt.want {
			t.Errorf("%s: range %s, want %s", tt.name, got, tt.want)
		}
	}
	if n := len(c0.BlocksOf("env")); n != 2 {
		t.Errorf("env blocks: %d, want 2", n)
	}
	if web.Format != "kubernetes" || web.Type != "Deployment" || web.Name != "web" || web.Mode != model.Managed {
		t.Errorf("resource header: %+v", web)
	}
	if got := web.Address(); got != "prod/Deployment/web" {
		t.Errorf("Address() = %q", got)
	}

	// Aliases and merge keys are expanded; an alias's range is where the
	// alias is written.
	cm := find(t, st, "ConfigMap/base")
	if got := at(cm.Body.Block("data").Attr("a")); got != `"1" alias.yaml:6-6` {
		t.Errorf("merged key: %s", got)
	}
	if got := rangeString(cm.Body.Block("other").Range); got != "alias.yaml:10-10" {
		t.Errorf("aliased block range: %s", got)
	}
	if got := at(cm.Body.Block("other").Attr("name")); got != `"base" alias.yaml:4-4` {
		t.Errorf("aliased attribute: %s", got)
	}
}

// summary lists resources as "label type range", in state order.
func summary(st *model.State) []string {
	var out []string
	for _, r := range st.Resources {
		out = append(out, fmt.Sprintf("%s %s %s", r.Label, r.Type, rangeString(r.Range)))
	}
	return out
}

func TestManifests(t *testing.T) {
	st := load(t, "testdata/manifests", Options{})
	want := []string{
		"ConfigMap/base ConfigMap alias.yaml:1-10",
		"prod/Deployment/web Deployment deployment.yaml:2-55",
		"ServiceAccount/sa ServiceAccount list.yaml:4-7",
		"ClusterRoleBinding/admin-binding ClusterRoleBinding list.yaml:8-19",
		"ConfigMap/cm ConfigMap list.yaml:25-30",
		"Service/svc Service service.json:2-10",
		"Pod/pod Pod workloads.yaml:1-8",
		"DaemonSet/ds DaemonSet workloads.yaml:10-19",
		"StatefulSet/sts StatefulSet workloads.yaml:21-30",
		"ReplicaSet/rs ReplicaSet workloads.yaml:35-44",
		"ReplicationController/rc ReplicationController workloads.yaml:46-55",
		"Job/job Job workloads.yaml:57-66",
		"batch/CronJob/cron CronJob workloads.yaml:68-83",
	}
	if got := summary(st); !slices.Equal(got, want) {
		t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// ci.yaml, template.yaml (CloudFormation) and package.json are not
	// Kubernetes: skipped without a word.
	wantFiles := []string{"alias.yaml", "deployment.yaml", "list.yaml", "service.json", "workloads.yaml"}
	if !slices.Equal(st.Files, wantFiles) {
		t.Errorf("files %v, want %v", st.Files, wantFiles)
	}
	if len(st.Errors) != 0 || len(st.Notes) != 0 {
		t.Errorf("errors %v notes %v", st.Errors, st.Notes)
	}

	cron := find(t, st, "batch/CronJob/cron")
	sc := cron.Body.Block("spec").Block("jobTemplate").Block("spec").Block("template").Block("spec").BlocksOf("containers")[0].Block("securityContext")
	if got := at(sc.Attr("allowPrivilegeEscalation")); got != "bool(true) workloads.yaml:83-83" {
		t.Errorf("cronjob container: %s", got)
	}
	svc := find(t, st, "Service/svc")
	if got := at(svc.Body.Block("spec").Block("ports").Attr("nodePort")); got != "number(30080) service.json:10-10" {
		t.Errorf("json: %s", got)
	}
	crb := find(t, st, "ClusterRoleBinding/admin-binding")
	if got := at(crb.Body.Block("roleRef").Attr("name")); got != `"cluster-admin" list.yaml:15-15` {
		t.Errorf("list item: %s", got)
	}
}

func TestInvalidYAML(t *testing.T) {
	st := load(t, "testdata/broken", Options{})
	// broken.yaml looks like Kubernetes: its error is reported, and the
	// file contributes nothing else, not even its valid first document.
	// other.yaml is broken too but is not Kubernetes: left to other formats.
	want := []finding.Error{{File: "broken.yaml", Line: 10, Message: "invalid YAML: mapping values are not allowed in this context"}}
	if !slices.Equal(st.Errors, want) {
		t.Errorf("errors %v, want %v", st.Errors, want)
	}
	if len(st.Resources) != 0 {
		t.Errorf("resources %v", summary(st))
	}
	if !slices.Equal(st.Files, []string{"broken.yaml"}) {
		t.Errorf("files %v", st.Files)
	}
}

func TestHelmChart(t *testing.T) {
	values := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join("testdata/chart/values", n))
		}
		return out
	}
	tests := []struct {
		name   string
		values []string
		want   map[string]string // "label path" -> at()
	}{
		{
			name: "chart defaults",
			want: map[string]string{
				"Deployment/fixity-web replicas":     "number(1) web/templates/deployment.yaml:8-8",
				"Deployment/fixity-web image":        `"nginx:1.25" web/templates/deployment.yaml:22-22`,
				"Deployment/fixity-web runAsNonRoot": "bool(true) web/templates/deployment.yaml:23-23",
				"Deployment/fixity-web privileged":   "missing",
				"Deployment/fixity-web hostNetwork":  "missing",
				"Service/fixity-web type":            `"ClusterIP" web/templates/service.yaml:6-6`,
				"StatefulSet/fixity-cache port":      "number(6379) web/charts/cache/templates/statefulset.yaml:12-12",
			},
		},
		{
			name:   "one values file",
			values: values("override.yaml"),
			want: map[string]string{
				"Deployment/fixity-web replicas":    "number(2) web/templates/deployment.yaml:8-8",
				"Deployment/fixity-web privileged":  "bool(true) web/templates/deployment.yaml:23-23",
				"Deployment/fixity-web hostNetwork": "bool(true) web/templates/deployment.yaml:18-19",
				"Service/fixity-web type":           `"ClusterIP" web/templates/service.yaml:6-6`,
			},
		},
		{
			name:   "later values files win",
			values: values("override.yaml", "later.yaml"),
			want: map[string]string{
				"Deployment/fixity-web replicas":   "number(5) web/templates/deployment.yaml:8-8",
				"Deployment/fixity-web privileged": "bool(true) web/templates/deployment.yaml:23-23",
				"Service/fixity-web type":          `"NodePort" web/templates/service.yaml:6-6`,
				"StatefulSet/fixity-cache port":    "number(7000) web/charts/cache/templates/statefulset.yaml:12-12",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := load(t, "testdata/chart", Options{HelmValues: tt.values})
			if len(st.Errors) != 0 || len(st.Notes) != 0 {
				t.Fatalf("errors %v notes %v", st.Errors, st.Notes)
			}
			wantRes := []string{
				"StatefulSet/fixity-cache StatefulSet web/charts/cache/templates/statefulset.yaml:1-12",
				"Deployment/fixity-web Deployment web/templates/deployment.yaml:1-27",
				"Service/fixity-web Service web/templates/service.yaml:1-8",
				"ServiceAccount/fixity-web ServiceAccount web/templates/service.yaml:10-14",
			}
			if got := summary(st); !slices.Equal(got, wantRes) {
				t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantRes, "\n"))
			}
			for key, want := range tt.want {
				label, attr, _ := strings.Cut(key, " ")
				r := find(t, st, label)
				var a *model.Attribute
				switch attr {
				case "replicas":
					a = r.Body.Block("spec").Attr("replicas")
				case "image":
					a = container(r, 0).Attr("image")
				case "runAsNonRoot", "privileged":
					a = container(r, 0).Block("securityContext").Attr(attr)
				case "hostNetwork":
					a = r.Body.Block("spec").Block("template").Block("spec").Attr("hostNetwork")
				case "type":
					a = r.Body.Block("spec").Attr("type")
				case "port":
					a = container(r, 0).Block("ports").Attr("containerPort")
				}
				if got := at(a); got != want {
					t.Errorf("%s: got %s, want %s", key, got, want)
				}
			}
			// The release namespace is chosen at install time: unknown,
			// whether a template names it or helm fills it in.
			for _, label := range []string{"Service/fixity-web", "ServiceAccount/fixity-web"} {
				if ns := find(t, st, label).Body.Block("metadata").Attr("namespace"); ns == nil || ns.Value.IsKnown() {
					t.Errorf("%s: namespace %v, want unknown", label, ns)
				}
			}
			// Every file of the chart is the chart's, none a plain manifest.
			for _, f := range st.Files {
				if !strings.HasPrefix(f, "web/") {
					t.Errorf("file %s loaded outside the chart", f)
				}
			}
		})
	}
}

func TestHelmValuesErrors(t *testing.T) {
	st := load(t, "testdata/chart", Options{HelmValues: []string{"testdata/chart/values/nope.yaml"}})
	if len(st.Errors) != 1 || st.Errors[0].File != "testdata/chart/values/nope.yaml" {
		t.Errorf("errors %v", st.Errors)
	}
	if len(st.Resources) != 4 {
		t.Errorf("the chart should still render with its own values: %v", summary(st))
	}
}

func TestFailingCharts(t *testing.T) {
	tests := []struct {
		dir  string
		want finding.Error
	}{
		{"testdata/badchart", finding.Error{File: "templates/cm.yaml", Line: 6,
			Message: "helm template: execution error at (bad/templates/cm.yaml:6:10): key is required"}},
		{"testdata/badchart2", finding.Error{File: "templates/cm.yaml", Line: 4,
			Message: `helm template: parse error at (bad2/templates/cm.yaml:4): function "nosuchfunc" not defined`}},
	}
	for _, tt := range tests {
		st := load(t, tt.dir, Options{})
		if !slices.Equal(st.Errors, []finding.Error{tt.want}) {
			t.Errorf("%s: errors %v, want %v", tt.dir, st.Errors, tt.want)
		}
		if len(st.Resources) != 0 {
			t.Errorf("%s: a chart that does not render contributes nothing: %v", tt.dir, summary(st))
		}
	}
}

// TestFailingChartAmongOthers: one broken chart does not stop the scan.
func TestFailingChartAmongOthers(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "testdata/badchart", filepath.Join(dir, "bad"))
	copyDir(t, "testdata/chart/web", filepath.Join(dir, "web"))
	copyDir(t, "testdata/manifests", filepath.Join(dir, "manifests"))
	st := load(t, dir, Options{})
	if len(st.Errors) != 1 || st.Errors[0].File != "bad/templates/cm.yaml" || st.Errors[0].Line != 6 {
		t.Errorf("errors %v", st.Errors)
	}
	if len(st.Resources) != 4+13 {
		t.Errorf("resources %d:\n%s", len(st.Resources), strings.Join(summary(st), "\n"))
	}
}

func TestBrokenChartFiles(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  finding.Error
	}{
		{
			name: "values.yaml",
			files: map[string]string{
				"Chart.yaml":       "apiVersion: v2\nname: c\nversion: 0.1.0\n",
				"values.yaml":      "a: 1\nb: [\n",
				"templates/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
			},
			want: finding.Error{File: "values.yaml", Line: 2},
		},
		{
			name: "Chart.yaml",
			files: map[string]string{
				"Chart.yaml":       "apiVersion: v2\nname: [c\n",
				"templates/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
			},
			want: finding.Error{File: "Chart.yaml", Line: 2},
		},
		{
			name: "rendered output is not YAML",
			files: map[string]string{
				"Chart.yaml":       "apiVersion: v2\nname: c\nversion: 0.1.0\n",
				"templates/x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  {{ \"bad: [\" }}\n",
			},
			want: finding.Error{File: "templates/x.yaml", Line: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := loadOneError(t, tt.files, tt.want)
			if len(st.Resources) != 0 {
				t.Errorf("resources %v", summary(st))
			}
		})
	}
}

// loadOneError loads files and expects exactly one error, at want's file
// and line.
func loadOneError(t *testing.T, files map[string]string, want finding.Error) *model.State {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, files)
	st := load(t, dir, Options{})
	if len(st.Errors) != 1 {
		t.Fatalf("errors %v", st.Errors)
	}
	if e := st.Errors[0]; e.File != want.File || e.Line != want.Line {
		t.Errorf("error %v, want %s:%d", e, want.File, want.Line)
	}
	return st
}

func TestKustomize(t *testing.T) {
	st := load(t, "testdata/kustomize", Options{})
	if len(st.Errors) != 0 || len(st.Notes) != 0 {
		t.Fatalf("errors %v notes %v", st.Errors, st.Notes)
	}
	// The overlay is the only root: the base's objects appear once, as the
	// overlay builds them; patch.yaml and pdb.yaml are not plain manifests;
	// plain/pod.yaml, used by no kustomization, is.
	want := []string{
		"prod/Deployment/prod-api Deployment base/deployment.yaml:1-12",
		"prod/Service/prod-api Service base/service.yaml:1-7",
		"prod/ConfigMap/prod-settings-t84bgbmfg7 ConfigMap overlays/prod/kustomization.yaml:10-10",
		"prod/PodDisruptionBudget/prod-api PodDisruptionBudget overlays/prod/pdb.yaml:1-6",
		"Pod/loose Pod plain/pod.yaml:1-8",
	}
	if got := summary(st); !slices.Equal(got, want) {
		t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	dep := find(t, st, "prod/Deployment/prod-api")
	sc := container(dep, 0).Block("securityContext")
	checks := []struct{ name, got, want string }{
		{"value from the base", at(sc.Attr("runAsNonRoot")), "bool(true) base/deployment.yaml:12-12"},
		{"value a patch sets", at(sc.Attr("privileged")), "bool(true) overlays/prod/patch.yaml:11-11"},
		{"name changed by the overlay", at(dep.Body.Block("metadata").Attr("name")), `"prod-api" base/deployment.yaml:4-4`},
		{"field the overlay adds", at(dep.Body.Block("metadata").Attr("namespace")), `"prod" base/deployment.yaml:3-3`},
		{"container image", at(container(dep, 0).Attr("image")), `"api:1.0" base/deployment.yaml:10-10`},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, c.got, c.want)
		}
	}
	// No origin annotation leaks into the objects.
	if a := dep.Body.Block("metadata").Block("annotations"); a != nil {
		t.Errorf("annotations left: %v", a.Attrs)
	}
	wantFiles := []string{
		"base/deployment.yaml", "base/kustomization.yaml", "base/service.yaml",
		"overlays/prod/kustomization.yaml", "overlays/prod/patch.yaml", "overlays/prod/pdb.yaml", "plain/pod.yaml",
	}
	if !slices.Equal(st.Files, wantFiles) {
		t.Errorf("files %v, want %v", st.Files, wantFiles)
	}
}

// TestKustomizePatches checks that a value a patch sets points at the
// line that sets it, whatever the patch's form: strategic merge or
// JSON6902, in a file or inline in the kustomization, under patches or
// the older patchesStrategicMerge and patchesJson6902. Values no patch
// touches stay on the base, which is safe as written.
func TestKustomizePatches(t *testing.T) {
	st := load(t, "testdata/kustomize-patches", Options{})
	if len(st.Errors) != 0 || len(st.Notes) != 0 {
		t.Fatalf("errors %v notes %v", st.Errors, st.Notes)
	}
	wantResources := []string{
		"json-file/Deployment/web Deployment base/deployment.yaml:2-21",
		"json-inline/Deployment/web-debug Deployment base/deployment.yaml:2-21",
		"legacy/Deployment/web Deployment base/deployment.yaml:2-21",
		"smp/Deployment/smp-web Deployment base/deployment.yaml:2-21",
	}
	if got := summary(st); !slices.Equal(got, wantResources) {
		t.Fatalf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantResources, "\n"))
	}
	wantFiles := []string{
		"base/deployment.yaml", "base/kustomization.yaml",
		"overlays/json-file/kustomization.yaml", "overlays/json-file/ops.yaml",
		"overlays/json-inline/kustomization.yaml",
		"overlays/legacy/kustomization.yaml", "overlays/legacy/ops.json",
		"overlays/smp/kustomization.yaml",
	}
	if !slices.Equal(st.Files, wantFiles) {
		t.Errorf("files %v, want %v", st.Files, wantFiles)
	}

	podSpec := func(r *model.Resource) *model.Block {
		return r.Body.Block("spec").Block("template").Block("spec")
	}
	sc := func(r *model.Resource, i int) *model.Block {
		if c := container(r, i); c != nil {
			return c.Block("securityContext")
		}
		return nil
	}
	attr := func(b *model.Block, name string) string {
		if b == nil {
			return "missing block"
		}
		return at(b.Attr(name))
	}
	block := func(b *model.Block) string {
		if b == nil {
			return "missing"
		}
		return rangeString(b.Range)
	}
	tests := []struct {
		resource, name string
		got            func(r *model.Resource) string
		want           string
	}{
		// An inline strategic-merge patch with a target, in an overlay that
		// renames the object.
		{"smp/Deployment/smp-web", "hostNetwork", func(r *model.Resource) string { return attr(podSpec(r), "hostNetwork") },
			"bool(true) overlays/smp/kustomization.yaml:19-19"},
		{"smp/Deployment/smp-web", "privileged", func(r *model.Resource) string { return attr(sc(r, 0), "privileged") },
			"bool(true) overlays/smp/kustomization.yaml:23-23"},
		{"smp/Deployment/smp-web", "runAsNonRoot, untouched", func(r *model.Resource) string { return attr(sc(r, 0), "runAsNonRoot") },
			"bool(true) base/deployment.yaml:17-17"},
		{"smp/Deployment/smp-web", "image, untouched", func(r *model.Resource) string { return attr(container(r, 0), "image") },
			`"web:1.0" base/deployment.yaml:15-15`},
		{"smp/Deployment/smp-web", "securityContext block", func(r *model.Resource) string { return block(sc(r, 0)) },
			"base/deployment.yaml:16-18"},

		// An inline JSON6902 operation list.
		{"json-inline/Deployment/web-debug", "hostNetwork", func(r *model.Resource) string { return attr(podSpec(r), "hostNetwork") },
			"bool(true) overlays/json-inline/kustomization.yaml:14-14"},
		{"json-inline/Deployment/web-debug", "replaced by index", func(r *model.Resource) string { return attr(sc(r, 0), "allowPrivilegeEscalation") },
			"bool(true) overlays/json-inline/kustomization.yaml:17-17"},
		{"json-inline/Deployment/web-debug", "runAsNonRoot, untouched", func(r *model.Resource) string { return attr(sc(r, 0), "runAsNonRoot") },
			"bool(true) base/deployment.yaml:17-17"},
		{"json-inline/Deployment/web-debug", "appended container", func(r *model.Resource) string { return block(container(r, 2)) },
			"overlays/json-inline/kustomization.yaml:20-24"},
		{"json-inline/Deployment/web-debug", "appended container's image", func(r *model.Resource) string { return attr(container(r, 2), "image") },
			`"busybox" overlays/json-inline/kustomization.yaml:22-22`},
		{"json-inline/Deployment/web-debug", "appended container's privileged", func(r *model.Resource) string { return attr(sc(r, 2), "privileged") },
			"bool(true) overlays/json-inline/kustomization.yaml:24-24"},
		{"json-inline/Deployment/web-debug", "item appended to a list", func(r *model.Resource) string { return attr(container(r, 1), "args") },
			`["--json","--verbose"] overlays/json-inline/kustomization.yaml:27-27`},
		{"json-inline/Deployment/web-debug", "log image, untouched", func(r *model.Resource) string { return attr(container(r, 1), "image") },
			`"log:1.0" base/deployment.yaml:20-20`},
		{"json-inline/Deployment/web-debug", "escaped key", func(r *model.Resource) string {
			return attr(r.Body.Block("metadata").Block("annotations"), "fixity.example/a~b")
		}, `"escaped" overlays/json-inline/kustomization.yaml:30-30`},
		{"json-inline/Deployment/web-debug", "annotation, untouched", func(r *model.Resource) string {
			return attr(r.Body.Block("metadata").Block("annotations"), "owner")
		}, `"team-a" base/deployment.yaml:9-9`},
		{"json-inline/Deployment/web-debug", "quoted patch selected by label", func(r *model.Resource) string { return attr(podSpec(r), "hostPID") },
			"bool(true) overlays/json-inline/kustomization.yaml:34-34"},

		// A JSON6902 operations file.
		{"json-file/Deployment/web", "hostNetwork", func(r *model.Resource) string { return attr(podSpec(r), "hostNetwork") },
			"bool(true) overlays/json-file/ops.yaml:4-4"},
		{"json-file/Deployment/web", "privileged", func(r *model.Resource) string { return attr(sc(r, 0), "privileged") },
			"bool(true) overlays/json-file/ops.yaml:7-7"},
		{"json-file/Deployment/web", "image, patched only for another target", func(r *model.Resource) string { return attr(container(r, 0), "image") },
			`"web:1.0" base/deployment.yaml:15-15`},
		{"json-file/Deployment/web", "allowPrivilegeEscalation, untouched", func(r *model.Resource) string { return attr(sc(r, 0), "allowPrivilegeEscalation") },
			"bool(false) base/deployment.yaml:18-18"},

		// patchesStrategicMerge inline, patchesJson6902 from a JSON file.
		{"legacy/Deployment/web", "hostIPC", func(r *model.Resource) string { return attr(podSpec(r), "hostIPC") },
			"bool(true) overlays/legacy/kustomization.yaml:15-15"},
		{"legacy/Deployment/web", "securityContext the file adds", func(r *model.Resource) string { return block(sc(r, 1)) },
			"overlays/legacy/ops.json:2-2"},
		{"legacy/Deployment/web", "privileged", func(r *model.Resource) string { return attr(sc(r, 1), "privileged") },
			"bool(true) overlays/legacy/ops.json:2-2"},
		{"legacy/Deployment/web", "hostNetwork, not set", func(r *model.Resource) string { return attr(podSpec(r), "hostNetwork") },
			"missing"},
		{"legacy/Deployment/web", "runAsNonRoot, untouched", func(r *model.Resource) string { return attr(sc(r, 0), "runAsNonRoot") },
			"bool(true) base/deployment.yaml:17-17"},
	}
	for _, tt := range tests {
		t.Run(tt.resource+"/"+tt.name, func(t *testing.T) {
			r := find(t, st, tt.resource)
			if got := tt.got(r); got != tt.want {
				t.Errorf("got %s, want %s\n%s", got, tt.want, dump(r))
			}
		})
	}
}

// TestJSONPatchPaths checks where the operations of a JSON6902 patch land
// in the built object: positions shifted by the later operations of the
// same patch, "-" as the end of the sequence at the time, escaped keys.
func TestJSONPatchPaths(t *testing.T) {
	tests := []struct {
		name, built, ops string
		want             []string // one per operation that lands, in order
	}{
		{
			name:  "append, then insert before it",
			built: "c: [{name: init}, {name: web}, {name: log}, {name: debug}]",
			ops:   "- {op: add, path: /c/-, value: {name: debug}}\n- {op: add, path: /c/0, value: {name: init}}",
			want:  []string{"c[3]", "c[0]"},
		},
		{
			name:  "two appends",
			built: "c: [{name: web}, {name: log}, {name: x}, {name: y}]",
			ops:   "- {op: add, path: /c/-, value: {name: x}}\n- {op: add, path: /c/-, value: {name: y}}",
			want:  []string{"c[2]", "c[3]"},
		},
		{
			name:  "an earlier element removed",
			built: "c: [{name: log, image: b}]",
			ops:   "- {op: replace, path: /c/1/image, value: b}\n- {op: remove, path: /c/0}",
			want:  []string{"c[0]/image"},
		},
		{
			name:  "removed again",
			built: "c: [{name: log}]",
			ops:   "- {op: replace, path: /c/0/image, value: b}\n- {op: remove, path: /c/0}",
			want:  nil,
		},
		{
			name:  "moved to the end",
			built: "c: [{name: log}, {name: web}]",
			ops:   "- {op: move, from: /c/0, path: /c/-}",
			want:  []string{"c[1]"},
		},
		{
			name:  "escaped key",
			built: "metadata: {annotations: {a/b~c: x}}",
			ops:   "- {op: add, path: /metadata/annotations/a~1b~0c, value: x}",
			want:  []string{"metadata/annotations/a/b~c"},
		},
		{
			name:  "path the object does not have",
			built: "spec: {}",
			ops:   "- {op: add, path: /spec/x, value: 1}\n- {op: add, path: /spec/0, value: 1}\n- {op: add, path: nope, value: 1}",
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var built, ops yaml.Node
			if err := yaml.Unmarshal([]byte(tt.built), &built); err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal([]byte(tt.ops), &ops); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range resolveOps(parseOps(ops.Content[0]), built.Content[0]) {
				var b strings.Builder
				for i, s := range o.path {
					switch {
					case s.key == "":
						fmt.Fprintf(&b, "[%d]", s.idx)
					case i > 0:
						b.WriteString("/" + s.key)
					default:
						b.WriteString(s.key)
					}
				}
				got = append(got, b.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestKustomizeRemoteBase(t *testing.T) {
	st := load(t, "testdata/remote", Options{})
	want := []finding.Error{{File: "kustomization.yaml", Line: 3,
		Message: `kustomize: "github.com/example/repo//deploy?ref=v1" is remote; fixity reads local files only, so this kustomization is not built`}}
	if !slices.Equal(st.Errors, want) {
		t.Errorf("errors %v, want %v", st.Errors, want)
	}
	if len(st.Resources) != 0 {
		t.Errorf("pod.yaml belongs to the kustomization: %v", summary(st))
	}
}

func TestKustomizeErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  finding.Error
	}{
		{
			name:  "kustomization is not YAML",
			files: map[string]string{"kustomization.yaml": "resources:\n  - a.yaml\n bad: [\n"},
			want:  finding.Error{File: "kustomization.yaml", Line: 2},
		},
		{
			name:  "missing resource",
			files: map[string]string{"kustomization.yaml": "resources:\n  - missing.yaml\n"},
			want:  finding.Error{File: "kustomization.yaml", Line: 1},
		},
		{
			name: "remote base of a local base",
			files: map[string]string{
				"app/kustomization.yaml":  "resources:\n  - ../base\n",
				"base/kustomization.yaml": "resources:\n  - https://example.com/x.yaml\n",
			},
			want: finding.Error{File: "base/kustomization.yaml", Line: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loadOneError(t, tt.files, tt.want)
		})
	}
}

func TestScalars(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"1", "number(1)"},
		{"-7", "number(-7)"},
		{"1.5", "number(1.5)"},
		{"1e3", "number(1000)"},
		{"0x1F", "number(31)"},
		{"0o17", "number(15)"},
		{"123456789012345678901234567890", "number(1.2345678901234567890123456789e+29)"},
		{".inf", "number(+Inf)"},
		{"-.Inf", "number(-Inf)"},
		{".nan", `".nan"`},
		{"true", "bool(true)"},
		{"False", "bool(false)"},
		// The API server reads YAML 1.1: unquoted yes/no/on/off are booleans.
		{"yes", "bool(true)"},
		{"Off", "bool(false)"},
		{"'yes'", `"yes"`},
		{"yess", `"yess"`},
		{`"1"`, `"1"`},
		{"'true'", `"true"`},
		{"~", "null"},
		{"", "null"},
		{"2024-01-01", `"2024-01-01"`},
		{"!custom 5", `"5"`},
		{"!!str 5", `"5"`},
	}
	for _, tt := range tests {
		src := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nv: " + tt.yaml + "\n"
		res, errs, ok := loadManifest("x.yaml", []byte(src))
		if !ok || len(errs) != 0 || len(res) != 1 {
			t.Errorf("%q: ok=%v errs=%v res=%d", tt.yaml, ok, errs, len(res))
			continue
		}
		if got := valueString(res[0].Attr("v").Value); got != tt.want {
			t.Errorf("%q: got %s, want %s", tt.yaml, got, tt.want)
		}
	}
}

// TestHostileInput: whatever the bytes, no panic, and every range points
// at a real line.
func TestHostileInput(t *testing.T) {
	bomb := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		name := fmt.Sprintf("b%d", i)
		bomb += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	inputs := map[string]string{
		"alias bomb":     bomb,
		"deep nesting":   "apiVersion: v1\nkind: X\nspec: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n",
		"deep mappings":  "apiVersion: v1\nkind: X\nspec:\n" + deepMapping(2000),
		"non-string key": "apiVersion: v1\nkind: X\n? [a, b]\n: c\n1: 2\n",
		"duplicate keys": "apiVersion: v1\nkind: X\nspec:\n  a: 1\nspec:\n  b: 2\n",
		"list of lists":  "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Pod\n",
		"list not items": "apiVersion: v1\nkind: List\nitems: 5\n",
		"kind is a map":  "apiVersion: v1\nkind: {a: b}\n",
		"tabs in json":   "{\"apiVersion\":\t\"v1\",\n\t\"kind\": \"Pod\"}",
		"only markers":   "---\n---\n...\n---\n",
		"merge loop":     "apiVersion: v1\nkind: X\nm: &m {a: 1}\nn:\n  <<: [*m, *m, {b: 2}]\n  <<: *m\n",
		"control chars":  "apiVersion: v1\nkind: X\nv: \"\x01\"\n",
		"cyclic mapping": "apiVersion: v1\nkind: X\na: &m {x: *m}\n",
		"cyclic list":    "apiVersion: v1\nkind: X\na: &m [*m]\n",
		"cyclic merge":   "apiVersion: v1\nkind: X\na: &m {<<: [*m, *m, *m], b: 1}\n",
	}
	for name, src := range inputs {
		for _, rel := range []string{"x.yaml", "x.json"} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s (%s): panic %v", name, rel, r)
					}
				}()
				res, errs, _ := loadManifest(rel, []byte(src))
				for _, r := range res {
					checkRanges(t, name, r.Body)
				}
				for _, e := range errs {
					if e.Line < 1 {
						t.Errorf("%s: error without a line: %v", name, e)
					}
				}
			}()
		}
	}
	if _, errs, _ := loadManifest("x.yaml", []byte(bomb)); len(errs) != 1 || !strings.Contains(errs[0].Message, "aliases") {
		t.Errorf("alias bomb: %v", errs)
	}
	for _, name := range []string{"cyclic mapping", "cyclic list", "cyclic merge"} {
		if _, errs, _ := loadManifest("x.yaml", []byte(inputs[name])); len(errs) != 1 || errs[0].Line != 1 {
			t.Errorf("%s: %v", name, errs)
		}
	}
}

func deepMapping(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i+1) + "k:\n")
	}
	return b.String()
}

func checkRanges(t *testing.T, name string, b *model.Block) {
	t.Helper()
	if b.Range.StartLine < 1 || b.Range.EndLine < b.Range.StartLine {
		t.Errorf("%s: block %s range %v", name, b.Type, b.Range)
	}
	for _, a := range b.Attrs {
		if a.Range.StartLine < 1 || a.Range.EndLine < a.Range.StartLine {
			t.Errorf("%s: attribute %s range %v", name, a.Name, a.Range)
		}
	}
	for _, c := range b.Blocks {
		checkRanges(t, name, c)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w, err := walk.Walk(context.Background(), "testdata/manifests", walk.Options{Match: Match})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFiles(ctx, "testdata/manifests", w.Files, Options{}); err == nil {
		t.Error("want the context's error")
	}
}

func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func copyDir(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		writeFiles(t, to, map[string]string{filepath.ToSlash(rel): string(data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHasNamePart(t *testing.T) {
	for _, tc := range []struct {
		name, part string
		want       bool
	}{
		{"app", "app", true},
		{"dev-app-7h2k5f", "app", true},
		{"app-config-7h2k5f", "app-config", true},
		{"webapp-config-7h2k5f", "app", false},
		{"application", "app", false},
		{"app-app", "app", true},
		{"xapp-app", "app", true},
	} {
		if got := hasNamePart(tc.name, tc.part); got != tc.want {
			t.Errorf("hasNamePart(%q, %q) = %v, want %v", tc.name, tc.part, got, tc.want)
		}
	}
}
