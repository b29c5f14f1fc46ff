package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/secrets"
)

// Checks over pod specs and their containers. A setting that is absent
// fires at the container element (or the pod spec for pod-level settings);
// a setting that is written but cannot be read (an unknown value, or text
// where a bool or a number belongs, such as an unrendered template) never
// fires.

func checkK8sPrivileged(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			if a := k8sAttr(c.securityContext(), "privileged"); boolIs(a, true) {
				rs.add(At(p.res, a, p.subject(c)+" sets privileged: true"))
			}
		}
	}
	return rs.list
}

// checkK8sWant is the shape of a container-level switch that must be set to
// want: it fires at the attribute when it is the opposite, at the container
// when it is absent.
func checkK8sWant(s *model.State, name string, want bool) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		if p.windows() {
			continue
		}
		for _, c := range p.containers {
			a := k8sAttr(c.securityContext(), name)
			switch {
			case a == nil:
				rs.add(AtBlock(p.res, c.Block, p.subject(c)+" does not set "+name+": "+strconv.FormatBool(want)))
			case boolIs(a, !want):
				rs.add(At(p.res, a, p.subject(c)+" sets "+name+": "+strconv.FormatBool(!want)))
			}
		}
	}
	return rs.list
}

func checkK8sPrivilegeEscalation(s *model.State) []Result {
	return checkK8sWant(s, "allowPrivilegeEscalation", false)
}

func checkK8sReadOnlyRoot(s *model.State) []Result {
	return checkK8sWant(s, "readOnlyRootFilesystem", true)
}

func checkK8sRunAsRoot(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			if user, fromPod := p.effective(c, "runAsUser"); user != nil {
				// A fixed UID decides, whatever runAsNonRoot says; one that
				// cannot be read decides nothing.
				if uid, ok := user.Int(); ok && uid == 0 {
					rs.add(At(p.res, user, p.settingSubject(c, fromPod)+" sets runAsUser: 0 and runs as root"))
				}
				continue
			}
			nonRoot, fromPod := p.effective(c, "runAsNonRoot")
			switch {
			case nonRoot == nil:
				rs.add(AtBlock(p.res, c.Block, p.subject(c)+" does not set runAsNonRoot: true (pod or container "+
					"securityContext) and runs as the image's user, root unless the image says otherwise"))
			case boolIs(nonRoot, false):
				rs.add(At(p.res, nonRoot, p.settingSubject(c, fromPod)+" sets runAsNonRoot: false"))
			}
		}
	}
	return rs.list
}

// dangerousCapabilities are the capabilities that change the host, the
// kernel or other processes, beyond the runtime's default set.
var dangerousCapabilities = map[string]bool{
	"ALL": true, "SYS_ADMIN": true, "NET_ADMIN": true, "SYS_PTRACE": true, "SYS_MODULE": true,
	"SYS_RAWIO": true, "SYS_BOOT": true, "SYS_TIME": true, "SYS_RESOURCE": true, "SYSLOG": true,
	"DAC_READ_SEARCH": true, "LINUX_IMMUTABLE": true, "MAC_ADMIN": true, "MAC_OVERRIDE": true,
	"BPF": true, "PERFMON": true, "NET_BROADCAST": true, "IPC_OWNER": true, "BLOCK_SUSPEND": true,
	"WAKE_ALARM": true, "AUDIT_CONTROL": true, "CHECKPOINT_RESTORE": true,
}

// capName normalizes a capability as container runtimes read it.
func capName(s string) string {
	return strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "CAP_")
}

func checkK8sAddedCapabilities(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			caps, a, _ := k8sStrings(c.securityContext().Block("capabilities"), "add")
			var bad []string
			for _, cp := range caps {
				if n := capName(cp); dangerousCapabilities[n] && !slices.Contains(bad, n) {
					bad = append(bad, n)
				}
			}
			if len(bad) > 0 {
				rs.add(At(p.res, a, p.subject(c)+" adds capabilit"+plural(len(bad), "y ", "ies ")+joinAnd(bad)))
			}
		}
	}
	return rs.list
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func checkK8sDropAll(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		if p.windows() {
			continue
		}
		for _, c := range p.containers {
			drop := k8sAttr(c.securityContext().Block("capabilities"), "drop")
			if drop == nil {
				rs.add(AtBlock(p.res, c.Block, p.subject(c)+" does not drop capabilities: ALL"))
				continue
			}
			caps, ok := drop.Strings()
			if !ok || slices.ContainsFunc(caps, func(s string) bool { return capName(s) == "ALL" }) {
				continue
			}
			rs.add(At(p.res, drop, p.subject(c)+" drops only "+quoteAll(caps)+", not ALL"))
		}
	}
	return rs.list
}

func checkK8sHostNamespace(field, what string) func(*model.State) []Result {
	return func(s *model.State) []Result {
		var rs resultSet
		for _, p := range podSpecs(s) {
			if a := k8sAttr(p.spec, field); boolIs(a, true) {
				rs.add(At(p.res, a, label(p.res)+" sets "+field+": true and shares "+what))
			}
		}
		return rs.list
	}
}

func checkK8sHostPath(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, v := range p.spec.BlocksOf("volumes") {
			hp := v.Block("hostPath")
			if hp == nil {
				continue
			}
			msg := label(p.res) + " mounts a hostPath volume"
			if n, ok := v.Attr("name").String(); ok {
				msg += " " + quoted(n)
			}
			if path, ok := hp.Attr("path").String(); ok {
				msg += " from " + quoted(path)
			}
			rs.add(AtBlock(p.res, hp, msg))
		}
	}
	return rs.list
}

// imageRef splits a container image reference into name, tag and digest:
// "reg:5000/web:1.2@sha256:ab" -> "reg:5000/web", "1.2", "sha256:ab".
func imageRef(ref string) (name, tag, digest string) {
	name = strings.TrimSpace(ref)
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name, digest = name[:i], name[i+1:]
	}
	if i := strings.LastIndexByte(name, ':'); i >= 0 && i > strings.LastIndexByte(name, '/') {
		name, tag = name[:i], name[i+1:]
	}
	return name, tag, digest
}

// containerImage returns the container's image when it is a known,
// non-empty string.
func containerImage(c k8sContainer) (*model.Attribute, string, bool) {
	a := k8sAttr(c.Block, "image")
	img, ok := a.String()
	if !ok || strings.TrimSpace(img) == "" {
		return nil, "", false
	}
	return a, img, true
}

func checkK8sImageDigest(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			a, img, ok := containerImage(c)
			if !ok {
				continue
			}
			if _, _, digest := imageRef(img); digest == "" {
				rs.add(At(p.res, a, p.subject(c)+" uses image "+quoted(img)+" without a digest"))
			}
		}
	}
	return rs.list
}

func checkK8sImageLatest(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			a, img, ok := containerImage(c)
			if !ok {
				continue
			}
			_, tag, digest := imageRef(img)
			switch {
			case digest != "":
				// The digest decides what runs; the tag is only a note.
			case tag == "":
				rs.add(At(p.res, a, p.subject(c)+" uses image "+quoted(img)+" without a tag, which means latest"))
			case tag == "latest":
				rs.add(At(p.res, a, p.subject(c)+" uses image "+quoted(img)+" with the latest tag"))
			}
		}
	}
	return rs.list
}

// limitedContainers are the containers resources apply to: ephemeral
// containers may not set them.
func limitedContainers(p *podSpec) []k8sContainer {
	var out []k8sContainer
	for _, c := range p.containers {
		if c.list != ephemeralContainers {
			out = append(out, c)
		}
	}
	return out
}

// defaultLimits reports whether a LimitRange in namespace ns gives
// containers a default limit for resource.
func defaultLimits(s *model.State, ns, resource string) bool {
	for _, lr := range k8sObjects(s, "LimitRange") {
		if lns, _ := k8sNamespace(lr); lns != ns {
			continue
		}
		for _, l := range lr.Body.Block("spec").BlocksOf("limits") {
			if t, ok := l.Attr("type").String(); !ok || t != "Container" {
				continue
			}
			if k8sAttr(l.Block("default"), resource) != nil {
				return true
			}
		}
	}
	return false
}

func checkK8sLimit(resource, what string) func(*model.State) []Result {
	return func(s *model.State) []Result {
		var rs resultSet
		for _, p := range podSpecs(s) {
			ns, _ := k8sNamespace(p.res)
			if defaultLimits(s, ns, resource) {
				continue
			}
			for _, c := range limitedContainers(p) {
				if k8sAttr(c.Block.Block("resources").Block("limits"), resource) == nil {
					rs.add(AtBlock(p.res, c.Block, p.subject(c)+" has no "+what+" limit (resources.limits."+resource+")"))
				}
			}
		}
		return rs.list
	}
}

// serviceAccountOf returns the ServiceAccount object the pod runs as, when
// the scan has it.
func serviceAccountOf(s *model.State, p *podSpec) (name string, sa *model.Resource) {
	name = "default"
	for _, field := range []string{"serviceAccountName", "serviceAccount"} {
		if n, ok := k8sAttr(p.spec, field).String(); ok && n != "" {
			name = n
			break
		}
	}
	ns, _ := k8sNamespace(p.res)
	for _, r := range k8sObjects(s, "ServiceAccount") {
		if rns, _ := k8sNamespace(r); rns == ns && k8sName(r) == name {
			return name, r
		}
	}
	return name, nil
}

func checkK8sAutomountToken(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		a := k8sAttr(p.spec, "automountServiceAccountToken")
		if a != nil {
			if boolIs(a, true) {
				rs.add(At(p.res, a, label(p.res)+" sets automountServiceAccountToken: true"))
			}
			continue // the pod's setting wins over its ServiceAccount's
		}
		name, sa := serviceAccountOf(s, p)
		if sa != nil {
			if saa := k8sAttr(sa.Body, "automountServiceAccountToken"); saa != nil {
				if v, ok := saa.Bool(); !ok || !v {
					continue // off, or cannot tell
				}
			}
		}
		rs.add(AtBlock(p.res, p.spec, label(p.res)+" mounts the token of ServiceAccount "+quoted(name)+
			": automountServiceAccountToken: false is set neither on the pod nor on the ServiceAccount"))
	}
	return rs.list
}

// Legacy seccomp annotations on the pod, honoured by older clusters.
const (
	seccompPodAnnotation       = "seccomp.security.alpha.kubernetes.io/pod"
	seccompContainerAnnotation = "container.seccomp.security.alpha.kubernetes.io/"
)

func checkK8sSeccomp(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		if p.windows() {
			continue
		}
		annotations := p.meta.Block("annotations")
		for _, c := range p.containers {
			typ, fromPod := p.effective(c, "seccompProfile", "type")
			switch {
			case typ != nil:
				if v, ok := typ.String(); ok && v == "Unconfined" {
					rs.add(At(p.res, typ, p.settingSubject(c, fromPod)+" sets seccompProfile type: Unconfined"))
				}
			case p.spec.Block("securityContext").Block("seccompProfile") != nil ||
				c.securityContext().Block("seccompProfile") != nil:
				// A profile without a type: not something to guess about.
			default:
				// The annotations predate the field and apply only without it.
				var ann *model.Attribute
				if n, ok := c.Attr("name").String(); ok {
					ann = k8sAttr(annotations, seccompContainerAnnotation+n)
				}
				if ann == nil {
					ann = k8sAttr(annotations, seccompPodAnnotation)
				}
				if ann == nil {
					rs.add(AtBlock(p.res, c.Block, p.subject(c)+" has no seccomp profile (seccompProfile.type "+
						"unset on the pod and the container)"))
				} else if v, ok := ann.String(); ok && strings.EqualFold(v, "unconfined") {
					rs.add(At(p.res, ann, p.subject(c)+" runs with seccomp unconfined (annotation)"))
				}
			}
		}
	}
	return rs.list
}

func checkK8sDefaultNamespace(s *model.State) []Result {
	var rs resultSet
	for _, res := range k8sObjects(s, workloadKinds...) {
		meta := res.Body.Block("metadata")
		a := k8sAttr(meta, "namespace")
		switch {
		case a == nil && meta != nil:
			rs.add(AtBlock(res, meta, label(res)+" names no namespace and goes to the default namespace unless "+
				"the tool that applies it says otherwise"))
		case a == nil:
			rs.add(Missing(res, label(res)+" names no namespace"))
		default:
			if ns, ok := a.String(); ok && ns == "default" {
				rs.add(At(res, a, label(res)+" is in the default namespace"))
			}
		}
	}
	return rs.list
}

func checkK8sEnvSecrets(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			for _, env := range c.Block.BlocksOf("env") {
				name, _ := env.Attr("name").String()
				a := k8sAttr(env, "value")
				val, ok := a.String()
				if !ok {
					continue
				}
				what := ""
				if ms := secrets.Find(val); len(ms) > 0 {
					what = " (" + ms[0].Kind + ")"
				} else if !secrets.IsSecretName(name) || !secrets.IsLiteral(val) {
					continue
				}
				rs.add(At(p.res, a, p.subject(c)+" sets environment variable "+name+what+" to a literal secret"))
			}
		}
	}
	return rs.list
}

func checkK8sHostPort(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			for _, port := range c.Block.BlocksOf("ports") {
				a := k8sAttr(port, "hostPort")
				if n, ok := a.Int(); ok && n > 0 {
					rs.add(At(p.res, a, p.subject(c)+" binds host port "+strconv.FormatInt(n, 10)))
				}
			}
		}
	}
	return rs.list
}

func checkK8sProcMount(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			a := k8sAttr(c.securityContext(), "procMount")
			if v, ok := a.String(); ok && v == "Unmasked" {
				rs.add(At(p.res, a, p.subject(c)+" sets procMount: Unmasked"))
			}
		}
	}
	return rs.list
}

// safeSysctls are the namespaced sysctls the Pod Security Standards'
// baseline profile allows.
var safeSysctls = map[string]bool{
	"kernel.shm_rmid_forced":              true,
	"net.ipv4.ip_local_port_range":        true,
	"net.ipv4.ip_unprivileged_port_start": true,
	"net.ipv4.tcp_syncookies":             true,
	"net.ipv4.ping_group_range":           true,
	"net.ipv4.ip_local_reserved_ports":    true,
	"net.ipv4.tcp_keepalive_time":         true,
	"net.ipv4.tcp_fin_timeout":            true,
	"net.ipv4.tcp_keepalive_intvl":        true,
	"net.ipv4.tcp_keepalive_probes":       true,
}

func checkK8sSysctls(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, sc := range p.spec.Block("securityContext").BlocksOf("sysctls") {
			a := k8sAttr(sc, "name")
			name, ok := a.String()
			if !ok || safeSysctls[strings.ReplaceAll(name, "/", ".")] {
				continue
			}
			rs.add(At(p.res, a, label(p.res)+" sets unsafe sysctl "+quoted(name)))
		}
	}
	return rs.list
}

func checkK8sRootGroup(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		if p.windows() {
			continue
		}
		for _, field := range []string{"fsGroup", "supplementalGroups"} {
			a := p.podSetting(field)
			if a == nil {
				continue
			}
			if field == "fsGroup" {
				if n, ok := a.Int(); ok && n == 0 {
					rs.add(At(p.res, a, label(p.res)+" sets fsGroup: 0"))
				}
				continue
			}
			if ids, _ := a.Strings(); slices.Contains(ids, "0") {
				rs.add(At(p.res, a, label(p.res)+" adds supplemental group 0"))
			}
		}
		for _, c := range p.containers {
			a, fromPod := p.effective(c, "runAsGroup")
			if n, ok := a.Int(); ok && n == 0 {
				rs.add(At(p.res, a, p.settingSubject(c, fromPod)+" sets runAsGroup: 0"))
			}
		}
	}
	return rs.list
}

func checkK8sContainerAdminPort(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			for _, port := range c.Block.BlocksOf("ports") {
				a := k8sAttr(port, "containerPort")
				n, ok := a.Int()
				if !ok {
					continue
				}
				if np, ok := adminPort(n); ok {
					rs.add(At(p.res, a, p.subject(c)+" listens on port "+np.String()))
				}
			}
		}
	}
	return rs.list
}

// adminPort returns the admin service listening on port n, if any.
func adminPort(n int64) (namedPort, bool) {
	for _, p := range adminPorts {
		if n >= p.from && n <= p.to {
			return namedPort{n, n, p.name, p.udp}, true
		}
	}
	return namedPort{}, false
}

func checkK8sHostProcess(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		for _, c := range p.containers {
			a, fromPod := p.effective(c, "windowsOptions", "hostProcess")
			if !boolIs(a, true) {
				continue
			}
			rs.add(At(p.res, a, p.settingSubject(c, fromPod)+" sets windowsOptions.hostProcess: true"))
		}
	}
	return rs.list
}

// probedKinds are the workloads that run until replaced: a Job's pods run to
// completion and have nothing to probe.
var probedKinds = []string{"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "PodTemplate"}

func checkK8sProbes(s *model.State) []Result {
	var rs resultSet
	for _, p := range podSpecs(s) {
		if !slices.Contains(probedKinds, p.res.Type) {
			continue
		}
		for _, c := range p.containers {
			if c.list != regularContainers {
				continue
			}
			var missing []string
			for _, probe := range []string{"livenessProbe", "readinessProbe"} {
				if c.Block.Block(probe) == nil && k8sAttr(c.Block, probe) == nil {
					missing = append(missing, probe)
				}
			}
			if len(missing) > 0 {
				rs.add(AtBlock(p.res, c.Block, p.subject(c)+" has no "+strings.Join(missing, " or ")))
			}
		}
	}
	return rs.list
}
