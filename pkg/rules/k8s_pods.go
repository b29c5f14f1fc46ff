package rules

import (
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// This file reduces every Kubernetes workload kind to the pod spec it
// carries, so that a rule about pods or containers is written once and holds
// for a bare Pod, a Deployment and a CronJob alike.

// k8sFormat is the Resource.Format of objects read from Kubernetes manifests.
const k8sFormat = "kubernetes"

// podTemplatePath says where a workload kind keeps its pod spec, and its
// pod metadata (for annotations).
type podTemplatePath struct {
	kind string
	spec []string // block path from the object body to the pod spec
}

var podTemplatePaths = []podTemplatePath{
	{"Pod", []string{"spec"}},
	{"Deployment", []string{"spec", "template", "spec"}},
	{"StatefulSet", []string{"spec", "template", "spec"}},
	{"DaemonSet", []string{"spec", "template", "spec"}},
	{"ReplicaSet", []string{"spec", "template", "spec"}},
	{"ReplicationController", []string{"spec", "template", "spec"}},
	{"Job", []string{"spec", "template", "spec"}},
	{"CronJob", []string{"spec", "jobTemplate", "spec", "template", "spec"}},
	{"PodTemplate", []string{"template", "spec"}},
}

// workloadKinds are the kinds podSpecs reads, for Rule.ResourceTypes.
var workloadKinds = func() []string {
	out := make([]string, len(podTemplatePaths))
	for i, p := range podTemplatePaths {
		out[i] = p.kind
	}
	return out
}()

// Container lists of a pod spec.
const (
	regularContainers   = "containers"
	initContainers      = "initContainers"
	ephemeralContainers = "ephemeralContainers"
)

// podSpec is one pod template: the workload that carries it, the spec, its
// metadata and its containers.
type podSpec struct {
	res  *model.Resource
	spec *model.Block
	// meta is the pod's metadata: the object's own for a Pod, the template's
	// for the other kinds. It may be nil.
	meta       *model.Block
	containers []k8sContainer
}

// k8sContainer is one element of containers, initContainers or
// ephemeralContainers.
type k8sContainer struct {
	*model.Block
	// list is the field the container came from.
	list string
	// name is the container's name, or its position when it has none.
	name string
}

// describe names the container for messages: `container "app"`,
// `init container "migrate"`.
func (c k8sContainer) describe() string {
	switch c.list {
	case initContainers:
		return "init container " + c.name
	case ephemeralContainers:
		return "ephemeral container " + c.name
	}
	return "container " + c.name
}

// securityContext returns the container's own securityContext, or nil.
func (c k8sContainer) securityContext() *model.Block { return c.Block.Block("securityContext") }

// podSpecs returns the pod spec of every workload object in the state, in
// load order per kind.
func podSpecs(s *model.State) []*podSpec {
	var out []*podSpec
	for _, p := range podTemplatePaths {
		for _, res := range s.OfType(p.kind) {
			if res.Format != k8sFormat {
				continue
			}
			if ps := podSpecOf(res, p.spec); ps != nil {
				out = append(out, ps)
			}
		}
	}
	return out
}

func podSpecOf(res *model.Resource, path []string) *podSpec {
	spec := res.Body
	var parent *model.Block
	for _, step := range path {
		parent = spec
		spec = spec.Block(step)
	}
	if spec == nil {
		return nil
	}
	ps := &podSpec{res: res, spec: spec, meta: parent.Block("metadata")}
	for _, list := range []string{regularContainers, initContainers, ephemeralContainers} {
		for i, b := range spec.BlocksOf(list) {
			name := "#" + strconv.Itoa(i+1)
			if n, ok := b.Attr("name").String(); ok && n != "" {
				name = quoted(n)
			}
			ps.containers = append(ps.containers, k8sContainer{Block: b, list: list, name: name})
		}
	}
	return ps
}

// subject opens a message about a container: `Deployment/web container "app"`.
func (p *podSpec) subject(c k8sContainer) string { return label(p.res) + " " + c.describe() }

// settingSubject opens a message about an effective security setting: the
// container's, or the pod's when the setting comes from the pod, so that one
// pod-level line gives one message however many containers inherit it.
func (p *podSpec) settingSubject(c k8sContainer, fromPod bool) string {
	if fromPod {
		return label(p.res) + " pod securityContext"
	}
	return p.subject(c)
}

// windows reports whether the pod says it runs on Windows, where the Linux
// security settings (capabilities, seccomp, read-only root) do not exist.
func (p *podSpec) windows() bool {
	os, ok := p.spec.Block("os").Attr("name").String()
	return ok && strings.EqualFold(os, "windows")
}

// podSetting returns the pod-level securityContext setting at path, or nil
// when it is absent or null.
func (p *podSpec) podSetting(path ...string) *model.Attribute {
	return k8sAttr(p.spec.Block("securityContext"), path...)
}

// effective returns the setting at path that applies to the container: its
// own securityContext's, or the pod's when the container leaves it unset
// (for the fields both levels carry: runAsUser, runAsGroup, runAsNonRoot,
// seccompProfile, seLinuxOptions, windowsOptions). fromPod tells which.
func (p *podSpec) effective(c k8sContainer, path ...string) (a *model.Attribute, fromPod bool) {
	if a := k8sAttr(c.securityContext(), path...); a != nil {
		return a, false
	}
	if a := p.podSetting(path...); a != nil {
		return a, true
	}
	return nil, false
}

// k8sAttr walks nested blocks to the attribute at the end of path; an
// attribute set to null counts as absent, as it does for the API server.
func k8sAttr(b *model.Block, path ...string) *model.Attribute {
	for _, step := range path[:len(path)-1] {
		b = b.Block(step)
	}
	a := b.Attr(path[len(path)-1])
	if a == nil || (a.Value.IsKnown() && a.Value.IsNull()) {
		return nil
	}
	return a
}

// k8sObjects returns the Kubernetes objects of the given kinds.
func k8sObjects(s *model.State, kinds ...string) []*model.Resource {
	var out []*model.Resource
	for _, res := range s.OfType(kinds...) {
		if res.Format == k8sFormat {
			out = append(out, res)
		}
	}
	return out
}

// k8sNamespace returns the object's metadata.namespace; set is false when
// the manifest leaves it to the tool that applies it.
func k8sNamespace(res *model.Resource) (ns string, set bool) {
	ns, set = res.Body.Block("metadata").Attr("namespace").String()
	return ns, set && ns != ""
}

// k8sName returns the object's metadata.name.
func k8sName(res *model.Resource) string {
	if n, ok := res.Body.Block("metadata").Attr("name").String(); ok {
		return n
	}
	return res.Name
}

// k8sStrings returns the known strings of a list attribute such as verbs or
// capabilities.add; ok is false when it is absent or not wholly known.
func k8sStrings(b *model.Block, name string) (vals []string, a *model.Attribute, ok bool) {
	a = k8sAttr(b, name)
	if a == nil {
		return nil, nil, false
	}
	vals, ok = a.Strings()
	return vals, a, ok
}
