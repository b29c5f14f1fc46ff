package corpusgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// k8sManifests writes the Kubernetes part of a mixed corpus: plain
// multi-document manifest files under kubernetes/<namespace>/, each holding
// exactly its budget of objects (at least one). A file describes one or
// more apps: a workload (Deployment, StatefulSet, CronJob or DaemonSet)
// followed by its service account, Service, settings, RBAC, autoscaling,
// disruption budget, network policy and secret, as far as the budget goes.
// No Helm charts or kustomizations: those are rendered by large libraries
// whose cost would swamp the rest.
func k8sManifests(rng *rand.Rand, budgets []int, fs *FormatStats) []outFile {
	namespaces := max(1, min(len(serviceNames), len(budgets)))
	used := map[string]bool{}
	var out []outFile
	for i, budget := range budgets {
		ns := unitName(i % namespaces)
		w := newWriter(rng)
		w.p("# Workloads of the %s team, applied by the deploy pipeline with\n# kubectl apply --server-side.\n", ns)
		written := 0
		var first string
		for written < budget {
			a := newK8sApp(w, ns, used)
			if first == "" {
				first = a.component
			}
			for _, obj := range a.objects() {
				if written == budget {
					break
				}
				if written > 0 {
					w.p("---\n")
				}
				fs.count(obj(), 1)
				written++
			}
		}
		out = append(out, outFile{path: "kubernetes/" + ns + "/" + first + ".yaml", data: []byte(w.b.String())})
	}
	return out
}

// k8sApp is one app of a manifest file.
type k8sApp struct {
	w         *writer
	ns        string
	component string
	name      string // ns-component
	kind      string // the workload's kind
	// namespaced is false when the objects go to whatever namespace
	// kubectl's context points at, usually default.
	namespaced bool
	port       int
}

func newK8sApp(w *writer, ns string, used map[string]bool) *k8sApp {
	comp := components[w.rng.IntN(len(components))]
	for n := 2; used[ns+"/"+comp]; n++ {
		comp = fmt.Sprintf("%s-%d", components[w.rng.IntN(len(components))], n)
	}
	used[ns+"/"+comp] = true
	a := &k8sApp{w: w, ns: ns, component: comp, name: ns + "-" + comp, namespaced: !w.bad() || !w.bad()}
	a.port = []int{8080, 8443, 9000, 3000, 5000}[w.rng.IntN(5)]
	switch r := w.rng.Float64(); {
	case r < 0.55:
		a.kind = "Deployment"
	case r < 0.75:
		a.kind = "StatefulSet"
	case r < 0.95:
		a.kind = "CronJob"
	default:
		a.kind = "DaemonSet"
	}
	return a
}

// objects lists the app's objects in the order they are written; each
// writes one object and returns its kind.
func (a *k8sApp) objects() []func() string {
	objs := []func() string{a.workload, a.serviceAccount}
	if a.kind != "CronJob" {
		objs = append(objs, a.service)
	}
	objs = append(objs, a.configMap, a.role, a.roleBinding)
	if a.kind == "Deployment" {
		objs = append(objs, a.autoscaler)
	}
	if a.kind == "Deployment" || a.kind == "StatefulSet" {
		objs = append(objs, a.disruptionBudget)
	}
	return append(objs, a.networkPolicy, a.secret)
}

func (a *k8sApp) meta(apiVersion, kind, name string) {
	a.w.p("apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n", apiVersion, kind, name)
	if a.namespaced {
		a.w.p("  namespace: %s\n", a.ns)
	}
	a.w.p("  labels:\n    app.kubernetes.io/name: %s\n    app.kubernetes.io/part-of: %s\n", a.name, a.ns)
}

func (a *k8sApp) workload() string {
	w := a.w
	switch a.kind {
	case "CronJob":
		w.p("# Nightly %s run.\n", a.component)
		a.meta("batch/v1", "CronJob", a.name)
		w.p("spec:\n  schedule: %q\n  concurrencyPolicy: Forbid\n  successfulJobsHistoryLimit: 3\n", fmt.Sprintf("%d %d * * *", w.rng.IntN(60), w.rng.IntN(24)))
		w.p("  jobTemplate:\n    spec:\n      backoffLimit: 2\n      template:\n        metadata:\n          labels:\n            app.kubernetes.io/name: %s\n        spec:\n          restartPolicy: OnFailure\n", a.name)
		w.p("%s", indent(a.podSpec(), 10))
	default:
		api := "apps/v1"
		a.meta(api, a.kind, a.name)
		w.p("spec:\n")
		switch a.kind {
		case "Deployment":
			w.p("  replicas: %d\n  revisionHistoryLimit: 5\n", 2+w.rng.IntN(4))
		case "StatefulSet":
			w.p("  serviceName: %s\n  replicas: 3\n", a.name)
		}
		w.p("  selector:\n    matchLabels:\n      app.kubernetes.io/name: %s\n", a.name)
		w.p("  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: %s\n", a.name)
		if w.chance(0.5) {
			w.p("      annotations:\n        prometheus.io/scrape: \"true\"\n        prometheus.io/port: \"%d\"\n", a.port)
		}
		w.p("    spec:\n%s", indent(a.podSpec(), 6))
		if a.kind == "StatefulSet" {
			w.p("  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes: [\"ReadWriteOnce\"]\n        storageClassName: gp3\n        resources:\n          requests:\n            storage: %dGi\n", 10*(1+w.rng.IntN(10)))
		}
	}
	return a.kind
}

// podSpec returns the pod spec at indentation zero, with a mix of good and
// bad settings.
func (a *k8sApp) podSpec() string {
	w := a.w
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("serviceAccountName: %s\n", a.name)
	if !w.bad() {
		p("automountServiceAccountToken: false\n")
	}
	if a.kind == "DaemonSet" && w.bad() {
		p("# Needs the node's network to collect its traffic.\nhostNetwork: true\nhostPID: true\n")
	}
	rootPod := w.bad()
	if rootPod {
		p("securityContext:\n  runAsUser: 0\n")
	} else {
		p("securityContext:\n  runAsNonRoot: true\n  runAsUser: 10001\n  runAsGroup: 10001\n  fsGroup: 10001\n  seccompProfile:\n    type: RuntimeDefault\n")
	}
	p("containers:\n")
	image := fmt.Sprintf("123456789012.dkr.ecr.eu-west-1.amazonaws.com/%s/%s", a.ns, a.component)
	switch {
	case w.bad():
		image += w.pick(":latest", "")
	case w.bad():
		image += fmt.Sprintf(":%d.%d.%d", 1+w.rng.IntN(3), w.rng.IntN(20), w.rng.IntN(10))
	default:
		image += fmt.Sprintf(":%d.%d.%d@%s", 1+w.rng.IntN(3), w.rng.IntN(20), w.rng.IntN(10), w.digest())
	}
	p("  - name: %s\n    image: %s\n    imagePullPolicy: IfNotPresent\n", a.component, image)
	if a.kind == "CronJob" {
		p("    args: [\"run\", \"--once\", \"--batch-size=%d\"]\n", 100*(1+w.rng.IntN(10)))
	} else {
		p("    args:\n      - serve\n      - --listen=:%d\n    ports:\n      - name: http\n        containerPort: %d\n", a.port, a.port)
		if w.bad() && w.bad() {
			p("      - name: ssh\n        containerPort: 22\n")
		}
	}
	p("    env:\n      - name: LOG_LEVEL\n        value: %s\n      - name: NAMESPACE\n        valueFrom:\n          fieldRef:\n            fieldPath: metadata.namespace\n", w.pick("info", "debug", "warn"))
	if w.bad() {
		p("      - name: DATABASE_PASSWORD\n        value: %s-%s\n", strings.ToUpper(a.ns[:1])+a.ns[1:], w.hex(8))
	} else {
		p("      - name: DATABASE_PASSWORD\n        valueFrom:\n          secretKeyRef:\n            name: %s\n            key: database-password\n", a.name)
	}
	if !w.bad() {
		p("    resources:\n      requests:\n        cpu: %dm\n        memory: %dMi\n      limits:\n        cpu: %dm\n        memory: %dMi\n",
			50*(1+w.rng.IntN(4)), 64*(1+w.rng.IntN(4)), 500*(1+w.rng.IntN(4)), 256*(1+w.rng.IntN(4)))
	} else if w.chance(0.5) {
		p("    resources:\n      requests:\n        cpu: 100m\n        memory: 128Mi\n")
	}
	if a.kind != "CronJob" && !w.bad() {
		p("    readinessProbe:\n      httpGet:\n        path: /readyz\n        port: http\n      periodSeconds: 10\n")
		p("    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: http\n      initialDelaySeconds: 15\n")
	}
	switch {
	case w.bad() && w.bad():
		p("    # tcpdump and strace while chasing a production issue.\n    securityContext:\n      privileged: true\n      capabilities:\n        add: [\"NET_ADMIN\", \"SYS_PTRACE\"]\n")
	case w.bad():
		p("    securityContext:\n      allowPrivilegeEscalation: true\n")
	case rootPod:
		p("    securityContext:\n      readOnlyRootFilesystem: true\n")
	default:
		p("    securityContext:\n      allowPrivilegeEscalation: false\n      readOnlyRootFilesystem: true\n      capabilities:\n        drop: [\"ALL\"]\n")
	}
	hostPath := w.bad() && w.bad()
	p("    volumeMounts:\n      - name: tmp\n        mountPath: /tmp\n")
	if a.kind == "StatefulSet" {
		p("      - name: data\n        mountPath: /var/lib/%s\n", a.component)
	}
	if hostPath {
		p("      - name: docker-sock\n        mountPath: /var/run/docker.sock\n")
	}
	p("volumes:\n  - name: tmp\n    emptyDir:\n      medium: Memory\n      sizeLimit: 64Mi\n")
	if hostPath {
		p("  - name: docker-sock\n    hostPath:\n      path: /var/run/docker.sock\n      type: Socket\n")
	}
	if a.kind != "CronJob" && w.chance(0.4) {
		p("topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: ScheduleAnyway\n    labelSelector:\n      matchLabels:\n        app.kubernetes.io/name: %s\n", a.name)
	}
	return b.String()
}

func indent(text string, n int) string {
	pad := strings.Repeat(" ", n)
	lines := strings.SplitAfter(text, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" && l != "\n" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	return b.String()
}

func (a *k8sApp) serviceAccount() string {
	a.meta("v1", "ServiceAccount", a.name)
	if a.w.chance(0.5) {
		// The pods reach AWS through IAM roles for service accounts.
		a.w.p("  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/%s\n", a.name)
	}
	if !a.w.bad() {
		a.w.p("automountServiceAccountToken: false\n")
	}
	return "ServiceAccount"
}

func (a *k8sApp) service() string {
	w := a.w
	a.meta("v1", "Service", a.name)
	typ := "ClusterIP"
	if w.bad() {
		typ = w.pick("LoadBalancer", "NodePort")
	}
	w.p("spec:\n  type: %s\n  selector:\n    app.kubernetes.io/name: %s\n  ports:\n    - name: http\n      port: 80\n      targetPort: %d\n", typ, a.name, a.port)
	if typ == "LoadBalancer" && w.bad() {
		w.p("    - name: ssh\n      port: 22\n      targetPort: 22\n")
	}
	if a.kind == "StatefulSet" {
		w.p("  # Headless as well, for the pods' stable names.\n  publishNotReadyAddresses: true\n")
	}
	return "Service"
}

func (a *k8sApp) configMap() string {
	w := a.w
	a.meta("v1", "ConfigMap", a.name)
	w.p("data:\n  LISTEN_ADDR: \":%d\"\n  FEATURE_FLAGS: %q\n  CACHE_TTL: %q\n", a.port, w.pick("new-checkout,fast-search", "beta-ui", ""), fmt.Sprintf("%ds", 30*(1+w.rng.IntN(10))))
	w.p("  app.yaml: |\n    server:\n      port: %d\n      timeout: 30s\n    upstreams:\n      - http://%s-api.%s.svc.cluster.local\n", a.port, a.ns, a.ns)
	return "ConfigMap"
}

func (a *k8sApp) role() string {
	w := a.w
	a.meta("rbac.authorization.k8s.io/v1", "Role", a.name)
	w.p("rules:\n  - apiGroups: [\"\"]\n    resources: [\"configmaps\"]\n    verbs: [\"get\", \"list\", \"watch\"]\n")
	switch {
	case !w.bad():
		w.p("  - apiGroups: [\"coordination.k8s.io\"]\n    resources: [\"leases\"]\n    verbs: [\"get\", \"create\", \"update\"]\n")
	case w.chance(0.3):
		w.p("  # Everything in the namespace, until the exact needs are known.\n  - apiGroups: [\"*\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]\n")
	case w.chance(0.5):
		w.p("  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    verbs: [\"get\", \"list\"]\n")
	default:
		w.p("  - apiGroups: [\"\"]\n    resources: [\"pods\", \"pods/exec\"]\n    verbs: [\"get\", \"list\", \"create\"]\n")
	}
	return "Role"
}

func (a *k8sApp) roleBinding() string {
	w := a.w
	if w.bad() && w.bad() {
		w.p("# The deploy pipeline kept failing on missing permissions.\n")
		// Cluster-scoped: no namespace.
		namespaced := a.namespaced
		a.namespaced = false
		a.meta("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", a.name+"-admin")
		a.namespaced = namespaced
		w.p("roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\n")
		w.p("subjects:\n  - kind: ServiceAccount\n    name: %s\n    namespace: %s\n", a.name, a.ns)
		return "ClusterRoleBinding"
	}
	a.meta("rbac.authorization.k8s.io/v1", "RoleBinding", a.name)
	w.p("roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: %s\n", a.name)
	w.p("subjects:\n  - kind: ServiceAccount\n    name: %s\n", a.name)
	return "RoleBinding"
}

func (a *k8sApp) autoscaler() string {
	w := a.w
	a.meta("autoscaling/v2", "HorizontalPodAutoscaler", a.name)
	w.p("spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: %s\n  minReplicas: 2\n  maxReplicas: %d\n", a.name, 6+w.rng.IntN(20))
	w.p("  metrics:\n    - type: Resource\n      resource:\n        name: cpu\n        target:\n          type: Utilization\n          averageUtilization: %d\n", 60+5*w.rng.IntN(5))
	return "HorizontalPodAutoscaler"
}

func (a *k8sApp) disruptionBudget() string {
	a.meta("policy/v1", "PodDisruptionBudget", a.name)
	a.w.p("spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: %s\n", a.name)
	return "PodDisruptionBudget"
}

func (a *k8sApp) networkPolicy() string {
	w := a.w
	a.meta("networking.k8s.io/v1", "NetworkPolicy", a.name)
	w.p("spec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: %s\n  policyTypes: [\"Ingress\"]\n", a.name)
	w.p("  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: %s\n      ports:\n        - protocol: TCP\n          port: %d\n", a.ns, a.port)
	return "NetworkPolicy"
}

func (a *k8sApp) secret() string {
	w := a.w
	if w.bad() {
		w.p("# Copied from the old VM's environment file.\n")
		a.meta("v1", "Secret", a.name)
		w.p("type: Opaque\nstringData:\n  database-password: %s\n  api-token: tok_%s\n", w.hex(16), w.hex(24))
		return "Secret"
	}
	a.meta("external-secrets.io/v1beta1", "ExternalSecret", a.name)
	w.p("spec:\n  refreshInterval: 1h\n  secretStoreRef:\n    kind: ClusterSecretStore\n    name: aws-secrets-manager\n  target:\n    name: %s\n", a.name)
	w.p("  data:\n    - secretKey: database-password\n      remoteRef:\n        key: %s/%s/database\n        property: password\n", a.ns, a.component)
	return "ExternalSecret"
}
