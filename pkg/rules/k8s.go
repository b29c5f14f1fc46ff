package rules

import (
	"github.com/fixity-sec/fixity/pkg/finding"
)

// Kubernetes rules. Pod and container rules run on the pod specs podSpecs
// extracts (k8s_pods.go), so each holds for every workload kind; the checks
// live in k8s_workloads.go, k8s_services.go and k8s_rbac.go.

const (
	refK8sSecurityContext = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"
	refPSS                = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
	refCISK8s             = "https://www.cisecurity.org/benchmark/kubernetes"
	refNSAK8s             = "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF"
	refK8sRBAC            = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"
	refK8sRBACGood        = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/"
	refK8sSecrets         = "https://kubernetes.io/docs/concepts/configuration/secret/"
	refK8sSecretsGood     = "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"
	refK8sImages          = "https://kubernetes.io/docs/concepts/containers/images/"
	refK8sResources       = "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"
	refK8sLimitRange      = "https://kubernetes.io/docs/concepts/policy/limit-range/"
	refK8sServiceAccount  = "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
	refK8sSeccomp         = "https://kubernetes.io/docs/tutorials/security/seccomp/"
	refK8sNamespaces      = "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"
	refK8sService         = "https://kubernetes.io/docs/concepts/services-networking/service/"
	refK8sSysctl          = "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"
	refK8sProbes          = "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"
	refK8sHostProcess     = "https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/"
	refK8sHostPath        = "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"
	refK8sChecklist       = "https://kubernetes.io/docs/concepts/security/security-checklist/"
	refK8sConfigGood      = "https://kubernetes.io/docs/concepts/configuration/overview/"
	refK8sCapabilities    = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container"
	refK8sLBSourceRanges  = "https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/#restricting-access-to-the-load-balancer"
	refK8sEphemeral       = "https://kubernetes.io/docs/concepts/workloads/pods/ephemeral-containers/"
)

// The immutable-container argument most rules rest on, said once.
const immutableContainer = "An immutable container is never changed after it is deployed: a new version is a new image " +
	"rolled out by replacement. "

func kubernetesRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-K8S-001",
			Severity: finding.Critical,
			Title:    "Container runs privileged",
			Why: immutableContainer + "It therefore needs no privileges to change its host. A privileged container " +
				"has every capability and every host device, so whoever controls it can rewrite the node, load kernel " +
				"modules and reach every other container on it: one compromised pod becomes a changed, untrusted node " +
				"that no image describes any more.",
			Remediation: "Remove privileged, or set it to false and grant only the capability the program needs:\n" +
				"  securityContext:\n    privileged: false\n    capabilities:\n      drop: [\"ALL\"]\n" +
				"      add: [\"NET_BIND_SERVICE\"]",
			References:    []string{refK8sSecurityContext, refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sPrivileged,
		},
		{
			ID:       "FX-K8S-002",
			Severity: finding.Medium,
			Title:    "Container allows privilege escalation",
			Why: immutableContainer + "Its process never needs more privilege than it started with. Unless " +
				"allowPrivilegeEscalation is false, a setuid binary in the image or an exploit can gain root inside the " +
				"container (no_new_privs is off), the first step to changing it or breaking out.",
			Remediation:   "Set it on every container:\n  securityContext:\n    allowPrivilegeEscalation: false",
			References:    []string{refK8sSecurityContext, refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sPrivilegeEscalation,
		},
		{
			ID:       "FX-K8S-003",
			Severity: finding.Medium,
			Title:    "Container root filesystem is writable",
			Why: immutableContainer + "So it needs no write access to its root filesystem. A writable root lets an " +
				"attacker or a well-meant hotfix change binaries and configuration in place; the running container then " +
				"differs from its image, and the change is lost, or worse, copied by hand, at the next rollout. A " +
				"read-only root makes the image the whole truth.",
			Remediation: "Make the root read-only and mount scratch space where the program writes:\n" +
				"  securityContext:\n    readOnlyRootFilesystem: true\n  volumeMounts:\n    - name: tmp\n" +
				"      mountPath: /tmp\n...\nvolumes:\n  - name: tmp\n    emptyDir: {}",
			References:    []string{refK8sSecurityContext, refCISK8s, refNSAK8s, refK8sChecklist},
			ResourceTypes: workloadKinds,
			Check:         checkK8sReadOnlyRoot,
		},
		{
			ID:       "FX-K8S-004",
			Severity: finding.Medium,
			Title:    "Container may run as root",
			Why: immutableContainer + "Root inside it is needed for nothing a finished image does at run time, and it " +
				"is what turns a bug into changes to the image's files, and a container escape into root on the node. " +
				"Unless runAsNonRoot is true (or runAsUser is a non-zero UID), the container runs as whatever user the " +
				"image says, root by default.",
			Remediation: "Run as an unprivileged user, for the whole pod or per container:\n" +
				"  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n    runAsGroup: 10001",
			References:    []string{refK8sSecurityContext, refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sRunAsRoot,
		},
		{
			ID:       "FX-K8S-005",
			Severity: finding.High,
			Title:    "Container adds dangerous Linux capabilities",
			Why: immutableContainer + "It needs no privileges to change its host. SYS_ADMIN, NET_ADMIN, SYS_PTRACE, " +
				"SYS_MODULE and the like let a process remount filesystems, rewrite the node's network, read other " +
				"processes' memory or load kernel code: the powers needed to change a system, not to run a finished one.",
			Remediation: "Drop everything and add back only what the program needs, typically nothing or " +
				"NET_BIND_SERVICE:\n  securityContext:\n    capabilities:\n      drop: [\"ALL\"]\n      add: [\"NET_BIND_SERVICE\"]",
			References:    []string{refK8sCapabilities, refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sAddedCapabilities,
		},
		{
			ID:       "FX-K8S-006",
			Severity: finding.Low,
			Title:    "Container does not drop all capabilities",
			Why: immutableContainer + "The default capability set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, ...) exists to " +
				"install and change software, which a finished image never does at run time. Dropping ALL removes them, " +
				"so a compromised process cannot use them.",
			Remediation:   "  securityContext:\n    capabilities:\n      drop: [\"ALL\"]",
			References:    []string{refK8sCapabilities, refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sDropAll,
		},
		{
			ID:       "FX-K8S-007",
			Severity: finding.High,
			Title:    "Pod shares the host's network namespace",
			Why: immutableContainer + "It needs no access to its host. With hostNetwork the pod sees every interface " +
				"of the node, can bind its ports, sniff its traffic and reach services bound to localhost, and network " +
				"policies no longer isolate it.",
			Remediation:   "Remove hostNetwork (or set hostNetwork: false) and publish the port through a Service.",
			References:    []string{refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sHostNamespace("hostNetwork", "the host's network namespace"),
		},
		{
			ID:       "FX-K8S-008",
			Severity: finding.High,
			Title:    "Pod shares the host's process namespace",
			Why: immutableContainer + "It needs no access to its host. With hostPID the pod sees and can signal every " +
				"process on the node, and through /proc/<pid>/root reach their files and environment: a path to change " +
				"other containers and the node itself.",
			Remediation:   "Remove hostPID (or set hostPID: false).",
			References:    []string{refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sHostNamespace("hostPID", "the host's process namespace"),
		},
		{
			ID:       "FX-K8S-009",
			Severity: finding.High,
			Title:    "Pod shares the host's IPC namespace",
			Why: immutableContainer + "It needs no access to its host. With hostIPC the pod shares System V IPC and " +
				"POSIX shared memory with every process on the node and can read or change what they exchange.",
			Remediation:   "Remove hostIPC (or set hostIPC: false).",
			References:    []string{refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sHostNamespace("hostIPC", "the host's IPC namespace"),
		},
		{
			ID:       "FX-K8S-010",
			Severity: finding.High,
			Title:    "Pod mounts a hostPath volume",
			Why: immutableContainer + "Neither it nor its node should be changed from inside. A hostPath volume " +
				"exposes the node's filesystem: the container runtime socket, kubelet credentials, /etc. Writing there " +
				"changes the node under every other pod; reading there leaks their secrets.",
			Remediation: "Use an emptyDir for scratch space, a ConfigMap or Secret for configuration, or a " +
				"PersistentVolumeClaim for data:\n  volumes:\n    - name: cache\n      emptyDir: {}",
			References:    []string{refK8sHostPath, refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sHostPath,
		},
		{
			ID:       "FX-K8S-011",
			Severity: finding.Medium,
			Title:    "Container image is not pinned by digest",
			Why: "An immutable deployment names exactly one image. A tag is a movable pointer: the registry can serve " +
				"different bytes for it tomorrow, so two replicas of one Deployment, or a rollback, may run different " +
				"code, and a pushed tag is enough to change production. Only a digest names content.",
			Remediation: "Pin the image by digest (keep the tag for people):\n" +
				"  image: registry.example.com/web:1.4.2@sha256:<digest>\n" +
				"and let a tool such as kustomize images or Renovate update it.",
			References:    []string{refK8sImages, refK8sConfigGood, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sImageDigest,
		},
		{
			ID:       "FX-K8S-012",
			Severity: finding.Medium,
			Title:    "Container image uses the latest tag or no tag",
			Why: "An immutable deployment must be reproducible: the same manifest, the same containers. \"latest\" (and " +
				"no tag, which means latest) changes with every push, so a node restart or a rescheduled pod silently " +
				"runs a different image, and there is nothing to roll back to.",
			Remediation:   "Name a release tag, better a digest:\n  image: registry.example.com/web:1.4.2@sha256:<digest>",
			References:    []string{refK8sImages, refK8sConfigGood, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sImageLatest,
		},
		{
			ID:       "FX-K8S-013",
			Severity: finding.Low,
			Title:    "Container has no CPU limit",
			Why: "Immutable workloads are replaced, not nursed, and replacement works only when one pod cannot starve " +
				"its neighbours: a container without a CPU limit can take a node's CPU and slow every other pod on it, " +
				"including the ones meant to replace it.",
			Remediation: "  resources:\n    requests:\n      cpu: 100m\n    limits:\n      cpu: 500m\n" +
				"or give the namespace a LimitRange with a default limit.",
			References:    []string{refK8sResources, refK8sLimitRange, refNSAK8s},
			ResourceTypes: append(append([]string(nil), workloadKinds...), "LimitRange"),
			Check:         checkK8sLimit("cpu", "CPU"),
		},
		{
			ID:       "FX-K8S-014",
			Severity: finding.Medium,
			Title:    "Container has no memory limit",
			Why: "Immutable workloads are replaced, not nursed, and replacement works only when one pod cannot take " +
				"its node down: a container without a memory limit can exhaust the node's memory, and the kernel then " +
				"kills other pods, or the kubelet evicts them.",
			Remediation: "  resources:\n    requests:\n      memory: 256Mi\n    limits:\n      memory: 256Mi\n" +
				"or give the namespace a LimitRange with a default limit.",
			References:    []string{refK8sResources, refK8sLimitRange, refNSAK8s},
			ResourceTypes: append(append([]string(nil), workloadKinds...), "LimitRange"),
			Check:         checkK8sLimit("memory", "memory"),
		},
		{
			ID:       "FX-K8S-015",
			Severity: finding.Medium,
			Title:    "Service account token is mounted into the pod",
			Why: immutableContainer + "Most containers never talk to the Kubernetes API; yet unless " +
				"automountServiceAccountToken is false, each gets a token for it, and whoever takes over the container " +
				"can use it to change the cluster: create pods, read secrets, patch deployments.",
			Remediation: "Turn it off on the pod, or on its ServiceAccount, and mount a token only where the API is used:\n" +
				"  spec:\n    automountServiceAccountToken: false",
			References:    []string{refK8sServiceAccount, refCISK8s, refNSAK8s, refK8sRBACGood},
			ResourceTypes: append(append([]string(nil), workloadKinds...), "ServiceAccount"),
			Check:         checkK8sAutomountToken,
		},
		{
			ID:       "FX-K8S-016",
			Severity: finding.Medium,
			Title:    "Container runs without a seccomp profile",
			Why: immutableContainer + "A finished program calls a small, known set of system calls; it does not need " +
				"the ones that change the kernel, mount filesystems or trace other processes. Without a seccomp profile " +
				"(or with Unconfined) every system call is open to an attacker.",
			Remediation: "Use the runtime's default profile for the whole pod:\n  securityContext:\n    seccompProfile:\n" +
				"      type: RuntimeDefault",
			References:    []string{refK8sSeccomp, refPSS, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sSeccomp,
		},
		{
			ID:       "FX-K8S-017",
			Severity: finding.Low,
			Title:    "Workload in the default namespace",
			Why: "Namespaces are where policies attach: RBAC, network policies, resource quotas, Pod Security " +
				"admission. Workloads in the default namespace share them with everything else put there by accident, " +
				"and a manifest that names no namespace lands wherever it is applied, so the same manifest deploys " +
				"differently depending on who runs it.",
			Remediation:   "Name a dedicated namespace:\n  metadata:\n    name: web\n    namespace: shop",
			References:    []string{refK8sNamespaces, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sDefaultNamespace,
		},
		{
			ID:       "FX-K8S-018",
			Severity: finding.Medium,
			Title:    "Service exposes an admin port (SSH, RDP, WinRM)",
			Why: immutableContainer + "Nobody logs in to it. A Service for port 22 or 3389 means a shell or remote " +
				"desktop is running inside a container, the door to changing it by hand.",
			Remediation: "Remove the admin port from the Service and the SSH or RDP server from the image; debug with " +
				"kubectl debug (ephemeral containers) under RBAC and audit logging when you must.",
			References:    []string{refK8sService, refK8sEphemeral, refNSAK8s},
			ResourceTypes: []string{"Service"},
			Check:         checkK8sServiceAdminPort,
		},
		{
			ID:       "FX-K8S-019",
			Severity: finding.High,
			Title:    "Secret written as a literal environment variable",
			Why: "A value in env[].value is part of the manifest: it is committed to git, shown by kubectl describe and " +
				"stored unencrypted in the workload object. An immutable workload is rebuilt from its manifest, so the " +
				"secret lives on in every revision and cannot be rotated without a new rollout.",
			Remediation: "Reference a Secret (created outside git, e.g. by External Secrets or Sealed Secrets):\n" +
				"  env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n          name: db\n" +
				"          key: password",
			References:    []string{refK8sSecrets, refK8sSecretsGood, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sEnvSecrets,
		},
		{
			ID:       "FX-K8S-020",
			Severity: finding.High,
			Title:    "RBAC role grants wildcard verbs, resources or API groups",
			Why: "A wildcard grants everything that exists now and everything a future CRD adds: with \"*\" verbs or " +
				"resources a role can change any running workload, not just deploy the next immutable version of one.",
			Remediation: "List exactly what is needed:\n  rules:\n    - apiGroups: [\"apps\"]\n" +
				"      resources: [\"deployments\"]\n      verbs: [\"get\", \"list\", \"watch\"]",
			References:    []string{refK8sRBAC, refK8sRBACGood, refCISK8s, refNSAK8s},
			ResourceTypes: []string{"Role", "ClusterRole"},
			Check:         checkK8sRBACWildcards,
		},
		{
			ID:       "FX-K8S-021",
			Severity: finding.High,
			Title:    "RBAC role allows exec or attach into running pods",
			Why: immutableContainer + "Changing a running container by hand breaks that: pods/exec and pods/attach " +
				"give a shell in it (with its service account token and secrets), and pods/ephemeralcontainers adds a " +
				"new container to a running pod. What then runs is no longer what was deployed.",
			Remediation: "Remove pods/exec, pods/attach and pods/ephemeralcontainers from standing roles; grant them " +
				"just in time to named people for break-glass debugging, with audit logging.",
			References:    []string{refK8sRBACGood, refK8sRBAC, refCISK8s, refNSAK8s},
			ResourceTypes: []string{"Role", "ClusterRole"},
			Check:         checkK8sRBACExec,
		},
		{
			ID:       "FX-K8S-022",
			Severity: finding.High,
			Title:    "Binding grants cluster-admin",
			Why: "cluster-admin can do anything to any object: change running workloads, read every secret, rewrite " +
				"RBAC. An immutable delivery pipeline needs rights to roll out new versions of its own workloads, not " +
				"superuser over the cluster.",
			Remediation: "Bind a role that lists what the subject needs, in its own namespace:\n  roleRef:\n" +
				"    apiGroup: rbac.authorization.k8s.io\n    kind: Role\n    name: deployer",
			References:    []string{refK8sRBACGood, refK8sRBAC, refCISK8s, refNSAK8s},
			ResourceTypes: []string{"RoleBinding", "ClusterRoleBinding"},
			Check:         checkK8sClusterAdminBinding,
		},
		{
			ID:       "FX-K8S-023",
			Severity: finding.Medium,
			Title:    "Container binds a host port",
			Why: immutableContainer + "It needs no hold on its host. A hostPort ties the pod to a port on the node's " +
				"own address, bypassing Services and network policies, and limits where replacement pods can be " +
				"scheduled: two versions cannot run side by side on one node during a rollout.",
			Remediation:   "Remove hostPort and expose the containerPort through a Service.",
			References:    []string{refPSS, refK8sConfigGood, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sHostPort,
		},
		{
			ID:       "FX-K8S-024",
			Severity: finding.High,
			Title:    "Container unmasks /proc",
			Why: immutableContainer + "It needs no privileges to change its host. procMount: Unmasked exposes the " +
				"parts of /proc the runtime hides (kernel settings, sysrq-trigger), which let a process change the node.",
			Remediation:   "Remove procMount or set procMount: Default.",
			References:    []string{refPSS, refK8sSecurityContext, refNSAK8s, refCISK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sProcMount,
		},
		{
			ID:       "FX-K8S-025",
			Severity: finding.Medium,
			Title:    "Pod sets unsafe sysctls",
			Why: immutableContainer + "It needs no privileges to change its host. Sysctls outside the namespaced, " +
				"safe set change kernel settings that other pods on the node share.",
			Remediation: "Keep to the safe sysctls (net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, ...), or " +
				"tune the node image instead:\n  securityContext:\n    sysctls:\n      - name: net.ipv4.ip_local_port_range\n" +
				"        value: \"1024 65535\"",
			References:    []string{refK8sSysctl, refPSS, refNSAK8s, refCISK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sSysctls,
		},
		{
			ID:       "FX-K8S-026",
			Severity: finding.Low,
			Title:    "Pod or container runs with the root group",
			Why: immutableContainer + "It needs no write access to its own files. Group 0 owns most of the files in an " +
				"image and of the node's system files, so runAsGroup 0, fsGroup 0 or supplemental group 0 gives write " +
				"access to much of both.",
			Remediation:   "  securityContext:\n    runAsGroup: 10001\n    fsGroup: 10001",
			References:    []string{refK8sSecurityContext, refCISK8s, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sRootGroup,
		},
		{
			ID:       "FX-K8S-027",
			Severity: finding.Low,
			Title:    "Service of type NodePort",
			Why: "A NodePort opens the port on every node's address, outside the load balancer and often outside " +
				"network policies, and the nodes of an immutable cluster are replaced often, so the addresses to " +
				"firewall keep changing.",
			Remediation: "Use type: ClusterIP behind an Ingress or Gateway, or type: LoadBalancer with " +
				"loadBalancerSourceRanges.",
			References:    []string{refK8sService, refNSAK8s, refCISK8s},
			ResourceTypes: []string{"Service"},
			Check:         checkK8sNodePort,
		},
		{
			ID:       "FX-K8S-028",
			Severity: finding.Critical,
			Title:    "LoadBalancer Service exposes an admin port to any address",
			Why: immutableContainer + "Nobody logs in to it, and certainly not from the internet: a public load " +
				"balancer in front of SSH, RDP or WinRM invites anyone to try, and a success means a changed, " +
				"untrusted container.",
			Remediation: "Remove the admin port, or make the load balancer internal, or restrict it:\n  spec:\n" +
				"    type: LoadBalancer\n    loadBalancerSourceRanges:\n      - 10.0.0.0/8",
			References:    []string{refK8sLBSourceRanges, refK8sService, refNSAK8s},
			ResourceTypes: []string{"Service"},
			Check:         checkK8sPublicAdminLB,
		},
		{
			ID:       "FX-K8S-029",
			Severity: finding.High,
			Title:    "Secret values committed in a manifest",
			Why: "Secret data is only base64-encoded. A Secret in the repository is a secret in the git history of " +
				"every clone, forever; and immutable deployments are rebuilt from that repository, so rotating it " +
				"means rewriting history.",
			Remediation: "Keep Secret values out of git: create them with External Secrets Operator, Sealed Secrets " +
				"or SOPS-encrypted files, and reference them by name from the workload.",
			References:    []string{refK8sSecretsGood, refK8sSecrets, refNSAK8s, refCISK8s},
			ResourceTypes: []string{"Secret"},
			Check:         checkK8sSecretData,
		},
		{
			ID:       "FX-K8S-030",
			Severity: finding.High,
			Title:    "RBAC role can read Secrets",
			Why: "get, list or watch on secrets returns their values, including service account tokens of other " +
				"workloads, with which the reader can change what they can. Immutable workloads get their own secrets " +
				"mounted; they rarely need to read any through the API.",
			Remediation: "Remove the rule, or restrict it to the named secret the workload reads:\n" +
				"  - apiGroups: [\"\"]\n    resources: [\"secrets\"]\n    resourceNames: [\"web-tls\"]\n    verbs: [\"get\"]",
			References:    []string{refK8sRBACGood, refK8sSecretsGood, refCISK8s, refNSAK8s},
			ResourceTypes: []string{"Role", "ClusterRole"},
			Check:         checkK8sRBACSecrets,
		},
		{
			ID:       "FX-K8S-031",
			Severity: finding.High,
			Title:    "RBAC role can escalate, bind or impersonate",
			Why: "escalate and bind let a subject grant itself permissions it does not hold; impersonate lets it act " +
				"as any user, group or service account. Each turns a narrow role into a cluster-wide one that can " +
				"change running workloads.",
			Remediation: "Remove the escalate, bind and impersonate verbs; let RBAC changes go through the reviewed " +
				"delivery pipeline instead.",
			References:    []string{refK8sRBACGood, refK8sRBAC, refCISK8s, refNSAK8s},
			ResourceTypes: []string{"Role", "ClusterRole"},
			Check:         checkK8sRBACEscalate,
		},
		{
			ID:       "FX-K8S-032",
			Severity: finding.Medium,
			Title:    "RBAC role can create pods",
			Why: "Whoever can create a pod can run any image with any service account of the namespace and mount any " +
				"of its secrets: a path to every privilege in the namespace, and a way to run containers that no " +
				"reviewed manifest describes.",
			Remediation: "Let controllers (Deployments, Jobs) create pods, and grant people and pipelines rights on " +
				"those workload objects only, in their own namespace.",
			References:    []string{refK8sRBACGood, refK8sRBAC, refCISK8s, refNSAK8s},
			ResourceTypes: []string{"Role", "ClusterRole"},
			Check:         checkK8sRBACCreatePods,
		},
		{
			ID:       "FX-K8S-033",
			Severity: finding.Medium,
			Title:    "Container listens on an admin port (SSH, RDP, WinRM)",
			Why: immutableContainer + "Nobody logs in to it. containerPort 22 means an SSH daemon inside the image: " +
				"a way to change the container by hand, with keys or passwords baked into the image.",
			Remediation: "Remove the SSH server from the image and the port from the manifest; use kubectl debug " +
				"under RBAC when you must look inside.",
			References:    []string{refK8sEphemeral, refK8sConfigGood, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sContainerAdminPort,
		},
		{
			ID:       "FX-K8S-034",
			Severity: finding.High,
			Title:    "Windows HostProcess container",
			Why: immutableContainer + "It needs no privileges to change its host. A HostProcess container runs " +
				"directly on the Windows node as a host process, with the node's filesystem and network: it is an " +
				"administrator session on the node, not a container.",
			Remediation:   "Remove windowsOptions.hostProcess (or set it to false); do node configuration in the node image.",
			References:    []string{refK8sHostProcess, refPSS, refNSAK8s},
			ResourceTypes: workloadKinds,
			Check:         checkK8sHostProcess,
		},
		{
			ID:       "FX-K8S-035",
			Severity: finding.Low,
			Title:    "Container has no liveness or readiness probe",
			Why: "Immutable workloads are repaired by replacement, never by hand. A liveness probe lets Kubernetes " +
				"replace a container that hangs; a readiness probe keeps traffic from a new version until it works, so " +
				"a rollout replaces old pods safely and stops when the new ones fail.",
			Remediation: "  livenessProbe:\n    httpGet:\n      path: /healthz\n      port: http\n" +
				"  readinessProbe:\n    httpGet:\n      path: /ready\n      port: http",
			References:    []string{refK8sProbes, refK8sConfigGood},
			ResourceTypes: probedKinds,
			Check:         checkK8sProbes,
		},
	}
}
