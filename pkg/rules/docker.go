package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/secrets"
)

// Dockerfile rules. An image is the unit of immutable infrastructure: it is
// built once, promoted unchanged from test to production and replaced, never
// patched in place. So the same Dockerfile must build the same image
// (pinned inputs), the image must hold only what the service needs, and
// nobody should ever need to log into a running container.
//
// Only the final stage, and the stages it is built FROM, become the image;
// rules about what the image contains or how it runs look at those alone,
// while rules about how the build fetches its inputs look at every stage.

const (
	refDockerBestPractices = "https://docs.docker.com/build/building/best-practices/"
	refCISDocker           = "https://www.cisecurity.org/benchmark/docker"
	refHadolint            = "https://github.com/hadolint/hadolint/wiki/"
)

var dockerTypes = []string{"dockerfile"}

func dockerRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-DOCKER-001",
			Severity: finding.High,
			Title:    "Container image runs as root",
			Why: "A container whose process runs as root turns any code execution bug into root in the container, " +
				"one kernel or runtime flaw away from root on the host. An immutable image never needs root at run " +
				"time: everything that needs privileges (installing packages, writing system files) is done at build " +
				"time, so the image can drop to an unprivileged user for good. Without a USER instruction in the " +
				"final stage (or the stages it is built FROM), the image runs as root by default.",
			Remediation: "Create an unprivileged user during the build (e.g. `RUN useradd --uid 10001 app`) and end the " +
				"final stage with `USER 10001` (a numeric UID lets Kubernetes verify runAsNonRoot). A USER in a " +
				"build stage does not carry over to the final image.",
			References: []string{
				"https://docs.docker.com/reference/dockerfile/#user",
				refDockerBestPractices + "#user",
				refCISDocker + " (4.1 Ensure that a user for the container has been created)",
				refHadolint + "DL3002",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerRootUser,
		},
		{
			ID:       "FX-DOCKER-002",
			Severity: finding.High,
			Title:    "Base image is not pinned by digest",
			Why: "A tag is a moving pointer: the registry can serve different bytes under the same tag tomorrow, so " +
				"the same Dockerfile builds a different image, and a compromised or mistaken push reaches every " +
				"rebuild. Immutable infrastructure depends on reproducible builds; only a digest (@sha256:...) names " +
				"exactly one image.",
			Remediation: "Pin every FROM (and COPY --from of an image) by digest, keeping the tag for readability: " +
				"`FROM alpine:3.20@sha256:<digest>`. Let a bot such as Renovate or Dependabot propose digest " +
				"updates, so upgrades are reviewed changes rather than silent drift.",
			References: []string{
				refDockerBestPractices + "#pin-base-image-versions",
				"https://docs.docker.com/reference/dockerfile/#from",
				refCISDocker + " (4.2 Ensure that containers use only trusted base images)",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerDigest,
		},
		{
			ID:       "FX-DOCKER-003",
			Severity: finding.Medium,
			Title:    "Base image uses the latest tag or no tag",
			Why: "An untagged image means :latest, which changes with every upstream release, including major " +
				"versions: two builds of the same Dockerfile can differ in operating system or runtime version, and " +
				"nobody can tell from the source which one is in production.",
			Remediation: "Name an explicit version tag (`FROM python:3.12-slim`), and better, pin it by digest as well.",
			References: []string{
				refHadolint + "DL3006",
				refHadolint + "DL3007",
				refDockerBestPractices + "#pin-base-image-versions",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerLatest,
		},
		{
			ID:       "FX-DOCKER-004",
			Severity: finding.Medium,
			Title:    "ADD downloads a remote file without a checksum",
			Why: "ADD <url> fetches whatever the server returns at build time, unverified: the image silently " +
				"changes when the file does, and a compromised server or connection puts its content into every " +
				"image built from then on.",
			Remediation: "Add `--checksum=sha256:<digest>` to the ADD instruction so BuildKit verifies the download, or " +
				"download with curl in a RUN and verify a checksum or signature before use.",
			References: []string{
				"https://docs.docker.com/reference/dockerfile/#add---checksum",
				refDockerBestPractices + "#add-or-copy",
				refHadolint + "DL3020",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerAddURL,
		},
		{
			ID:       "FX-DOCKER-005",
			Severity: finding.Low,
			Title:    "ADD used where COPY would do",
			Why: "ADD has hidden behaviours (it unpacks archives and fetches URLs) that make a build harder to " +
				"review: a file that happens to be a tarball is extracted into the image. COPY does only what it " +
				"says, which is what a reviewed, reproducible image needs.",
			Remediation: "Use COPY for local files and directories; keep ADD for local tar archives that must be " +
				"unpacked, or remote files with --checksum.",
			References: []string{
				refDockerBestPractices + "#add-or-copy",
				refCISDocker + " (4.9 Ensure that COPY is used instead of ADD in Dockerfiles)",
				refHadolint + "DL3020",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerAddCopy,
		},
		{
			ID:       "FX-DOCKER-006",
			Severity: finding.High,
			Title:    "Remote script piped into a shell",
			Why: "curl ... | sh runs whatever the server sends at build time, with no verification and no record of " +
				"what ran: the image is not reproducible, and anyone who controls the server or the connection " +
				"controls the image, and every container started from it.",
			Remediation: "Download the script or binary to a file, verify its checksum or signature, then run it; or " +
				"install the software from a pinned package, or COPY it from a pinned image.",
			References: []string{
				refHadolint + "DL4006",
				refCISDocker + " (4.11 Ensure only verified packages are installed)",
				"https://docs.docker.com/reference/dockerfile/#add---checksum",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerCurlPipe,
		},
		{
			ID:       "FX-DOCKER-007",
			Severity: finding.Medium,
			Title:    "OS packages installed without pinned versions",
			Why: "apt-get install curl installs whatever version the mirror carries on the day of the build: two " +
				"builds of the same Dockerfile differ, and a rebuild meant to change one line can upgrade (or break) " +
				"anything. Reproducible images name the versions they contain.",
			Remediation: "Pin each package: `apt-get install curl=8.5.0-2ubuntu10.6`, `apk add curl=8.9.1-r1`, " +
				"`dnf install curl-8.6.0`, `zypper install curl=8.6.0`. Update the pins deliberately, with the base " +
				"image digest.",
			References: []string{
				refHadolint + "DL3008",
				refHadolint + "DL3018",
				refHadolint + "DL3033",
				refHadolint + "DL3041",
				refHadolint + "DL3037",
				refDockerBestPractices + "#apt-get",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerPackagePins,
		},
		{
			ID:       "FX-DOCKER-008",
			Severity: finding.Low,
			Title:    "Package manager cache left in the image",
			Why: "Package lists and caches written by an install stay in the layer for ever, even if a later " +
				"instruction deletes them: the image is larger, slower to ship and carries stale metadata that " +
				"tempts people to install more into it later instead of rebuilding.",
			Remediation: "Clean up in the same RUN as the install: `rm -rf /var/lib/apt/lists/*` after apt-get, " +
				"`apk add --no-cache`, `dnf clean all` / `yum clean all`, `zypper clean --all`; or use a BuildKit " +
				"cache mount (`RUN --mount=type=cache,target=/var/cache/apt ...`).",
			References: []string{
				refHadolint + "DL3009",
				refHadolint + "DL3019",
				refHadolint + "DL3032",
				refHadolint + "DL3040",
				refDockerBestPractices + "#apt-get",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerPackageCache,
		},
		{
			ID:       "FX-DOCKER-009",
			Severity: finding.Medium,
			Title:    "System upgrade run inside the image build",
			Why: "apt-get upgrade (or apk upgrade, dnf update) pulls whatever updates exist on build day: the " +
				"resulting image depends on the date it was built, not on its Dockerfile. Patches belong in a newer, " +
				"pinned base image, so that what changed is a reviewed line in source control.",
			Remediation: "Remove the upgrade; move to a patched base image (update the pinned digest), and pin the " +
				"versions of the packages you install.",
			References: []string{
				refHadolint + "DL3005",
				refCISDocker + " (4.7 Ensure update instructions are not used alone in the Dockerfile)",
				refDockerBestPractices + "#apt-get",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerUpgrade,
		},
		{
			ID:       "FX-DOCKER-010",
			Severity: finding.High,
			Title:    "Remote login or file transfer server installed in the image",
			Why: "An immutable container is never logged into: it is inspected through its logs and metrics and " +
				"replaced, not repaired. An SSH, telnet, FTP or remote desktop server in the image exists only to let " +
				"people change running containers, adds a network-facing service and credentials to manage, and " +
				"invites the drift immutability is meant to prevent.",
			Remediation: "Remove the server package from the image. Use `docker exec` / `kubectl exec` (audited) or " +
				"an ephemeral debug container for troubleshooting, and ship changes by building a new image.",
			References: []string{
				refCISDocker + " (4.3 Ensure that unnecessary packages are not installed in the container; 5.7 Ensure sshd is not run within containers)",
				"https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/#ephemeral-container",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerRemoteServers,
		},
		{
			ID:       "FX-DOCKER-011",
			Severity: finding.Medium,
			Title:    "Image exposes a remote administration port",
			Why: "EXPOSE 22 (SSH), 23 (telnet), 21 (FTP), 3389 (RDP) or 5900 (VNC) documents that the container is " +
				"meant to be logged into or have files pushed into it; orchestrators and scanners open what an image " +
				"exposes. An immutable container is replaced, never administered in place.",
			Remediation: "Remove the EXPOSE of the administration port (and the server behind it); expose only the " +
				"service's own ports.",
			References: []string{
				"https://docs.docker.com/reference/dockerfile/#expose",
				refCISDocker + " (5.7 Ensure sshd is not run within containers)",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerAdminPorts,
		},
		{
			ID:       "FX-DOCKER-012",
			Severity: finding.Critical,
			Title:    "Secret in an ENV or ARG instruction",
			Why: "ENV values are stored in the image configuration, and build arguments in the image history and " +
				"provenance: anyone who can pull the image can read them, in every copy of every image ever built " +
				"from this Dockerfile. A secret baked into an immutable artifact cannot be rotated without rebuilding " +
				"and replacing everything that carries it.",
			Remediation: "Pass build-time secrets with BuildKit secret mounts (`RUN --mount=type=secret,id=npm ...`), " +
				"and run-time secrets through the orchestrator (Kubernetes Secrets, ECS secrets from Secrets Manager " +
				"or SSM) or a mounted file (`DB_PASSWORD_FILE=/run/secrets/db`). Rotate any secret that was committed.",
			References: []string{
				"https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/",
				"https://docs.docker.com/build/building/secrets/",
				refCISDocker + " (4.10 Ensure secrets are not stored in Dockerfiles)",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerSecrets,
		},
		{
			ID:       "FX-DOCKER-013",
			Severity: finding.Medium,
			Title:    "sudo installed or used in the image",
			Why: "sudo in a container undoes dropping to an unprivileged USER, and exists to let people do " +
				"privileged work in a running container, which an immutable image never needs: privileged steps " +
				"belong in the build, before USER.",
			Remediation: "Remove sudo. Run privileged build steps as root before the final USER instruction; switch " +
				"users with USER, not sudo.",
			References: []string{
				refHadolint + "DL3004",
				refCISDocker + " (4.3 Ensure that unnecessary packages are not installed in the container)",
				refDockerBestPractices + "#user",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerSudo,
		},
		{
			ID:       "FX-DOCKER-014",
			Severity: finding.Low,
			Title:    "Image has no HEALTHCHECK",
			Why: "Immutable infrastructure replaces what is unhealthy instead of repairing it, and that needs a way " +
				"to tell. Without a HEALTHCHECK (or an orchestrator probe), a container that hangs keeps running and " +
				"serving errors.",
			Remediation: "Add `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]` (or curl a health endpoint) to the final " +
				"stage, or `HEALTHCHECK NONE` when the orchestrator probes the container itself.",
			References: []string{
				"https://docs.docker.com/reference/dockerfile/#healthcheck",
				refCISDocker + " (4.6 Ensure that HEALTHCHECK instructions have been added to container images)",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerHealthcheck,
		},
		{
			ID:       "FX-DOCKER-015",
			Severity: finding.Medium,
			Title:    "World-writable permissions in the image",
			Why: "chmod 777 (or --chmod=777, o+w) lets any process in the container, whatever its user, rewrite " +
				"those files: a compromised unprivileged process can replace binaries or configuration the image " +
				"was built and reviewed with. An immutable image's files should be read-only to the service.",
			Remediation: "Give ownership to the user that needs to write (`COPY --chown=app:app`, `chown`), use 755/644 " +
				"or narrower, and keep writable data on a volume; use 1777 (sticky) for shared temporary directories.",
			References: []string{
				refCISDocker + " (4.8 Ensure setuid and setgid permissions are removed)",
				"https://docs.docker.com/reference/dockerfile/#copy---chown---chmod",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerWorldWritable,
		},
		{
			ID:       "FX-DOCKER-016",
			Severity: finding.Low,
			Title:    "Deprecated MAINTAINER instruction",
			Why: "MAINTAINER is deprecated; image metadata that tools read (owner, source, revision) belongs in " +
				"OCI labels, which tie an immutable image back to the source that built it.",
			Remediation: "Replace MAINTAINER with `LABEL org.opencontainers.image.authors=\"team@example.com\"`.",
			References: []string{
				"https://docs.docker.com/reference/build-checks/maintainer-deprecated/",
				refHadolint + "DL4000",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerMaintainer,
		},
		{
			ID:       "FX-DOCKER-017",
			Severity: finding.High,
			Title:    "Private key or credentials file copied into the image",
			Why: "A file copied into a layer stays in the image for ever, even if a later RUN deletes it: anyone " +
				"who pulls the image can extract an SSH key, .env file, .npmrc token or cloud credentials from its " +
				"layers, in every copy of the image.",
			Remediation: "Do not COPY credentials. Use BuildKit secret and SSH mounts for build-time access " +
				"(`RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`, `RUN --mount=type=ssh git clone ...`), " +
				"exclude such files in .dockerignore, and provide run-time credentials from the orchestrator.",
			References: []string{
				"https://docs.docker.com/build/building/secrets/",
				"https://docs.docker.com/build/concepts/context/#dockerignore-files",
				refCISDocker + " (4.10 Ensure secrets are not stored in Dockerfiles)",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerSecretFiles,
		},
		{
			ID:       "FX-DOCKER-018",
			Severity: finding.High,
			Title:    "TLS or signature verification disabled in the build",
			Why: "curl -k, wget --no-check-certificate, apt --allow-unauthenticated, dnf --nogpgcheck, pip " +
				"--trusted-host and their ENV equivalents accept whatever a network attacker sends: tampered packages " +
				"are baked into the image and shipped to every environment that runs it.",
			Remediation: "Remove the option. Add the missing CA certificate or signing key to the image (pinned), " +
				"or fetch from a mirror with a valid certificate.",
			References: []string{
				refCISDocker + " (4.11 Ensure only verified packages are installed)",
				refHadolint + "DL3033",
				"https://docs.docker.com/build/building/best-practices/#apt-get",
			},
			ResourceTypes: dockerTypes,
			Check:         checkDockerInsecureFetch,
		},
	}
}

// FX-DOCKER-001

func checkDockerRootUser(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		user, ok := dfEffectiveUser(df)
		if !ok {
			if dfNonRootBase(df) {
				continue
			}
			out = append(out, AtBlock(df.res, df.final().from(), "the final stage sets no USER, so the image runs as root"))
			continue
		}
		name := dfFirstArg(user)
		if dfUnresolved(name) {
			continue
		}
		if dfRootUser(name) {
			out = append(out, AtBlock(df.res, user, fmt.Sprintf("USER %s: the image runs as root", name)))
		}
	}
	return out
}

// dfEffectiveUser returns the last USER instruction that applies to the
// final image.
func dfEffectiveUser(df *dockerfile) (*model.Block, bool) {
	chain := df.shipped()
	for i := len(chain) - 1; i >= 0; i-- {
		st := chain[i]
		if us := st.instructions("user"); len(us) > 0 {
			return us[len(us)-1], true
		}
	}
	return nil, false
}

// dfNonRootBase reports whether the image the final stage is built on is
// known to set an unprivileged user: distroless and similar :nonroot tags.
func dfNonRootBase(df *dockerfile) bool {
	_, tag, _ := splitImageRef(df.shipped()[0].base)
	return strings.Contains(tag, "nonroot")
}

func dfFirstArg(b *model.Block) string {
	if args := dfArgs(b); len(args) > 0 {
		return args[0]
	}
	return ""
}

// dfRootUser reports whether a USER value (user[:group]) is root.
func dfRootUser(v string) bool {
	u, _, _ := strings.Cut(v, ":")
	return u == "root" || u == "0"
}

// FX-DOCKER-002, FX-DOCKER-003

// dfImageRefs calls fn for every image a Dockerfile pulls: FROM bases that are
// not earlier stages or scratch, and COPY --from images.
func dfImageRefs(df *dockerfile, fn func(b *model.Block, ref string)) {
	for _, st := range df.stages {
		if st.parent == nil && !strings.EqualFold(st.base, "scratch") && !dfUnresolved(st.base) && st.base != "" {
			fn(st.from(), st.base)
		}
		for _, c := range st.instructions("copy") {
			from, ok := dfFlag(c, "from")
			if !ok || from == "" || dfUnresolved(from) || df.stage(from, st.index) != nil {
				continue
			}
			fn(c, from)
		}
	}
}

// splitImageRef splits an image reference into repository, tag and digest:
// registry.example.com:5000/team/app:1.2@sha256:... has the tag 1.2.
func splitImageRef(ref string) (repo, tag, digest string) {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref, digest = ref[:i], ref[i+1:]
	}
	slash := strings.LastIndexByte(ref, '/')
	if i := strings.LastIndexByte(ref, ':'); i > slash {
		return ref[:i], ref[i+1:], digest
	}
	return ref, "", digest
}

var imageDigestPattern = regexp.MustCompile(`^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$`)

func checkDockerDigest(s *model.State) []Result {
	var rs resultSet
	for _, df := range dockerfiles(s) {
		dfImageRefs(df, func(b *model.Block, ref string) {
			if _, _, digest := splitImageRef(ref); !imageDigestPattern.MatchString(digest) {
				rs.add(AtBlock(df.res, b, fmt.Sprintf("image %s is not pinned by digest", quoted(ref))))
			}
		})
	}
	return rs.list
}

func checkDockerLatest(s *model.State) []Result {
	var rs resultSet
	for _, df := range dockerfiles(s) {
		dfImageRefs(df, func(b *model.Block, ref string) {
			_, tag, digest := splitImageRef(ref)
			switch {
			case digest != "":
			case tag == "":
				rs.add(AtBlock(df.res, b, fmt.Sprintf("image %s has no tag, so it means :latest", quoted(ref))))
			case tag == "latest":
				rs.add(AtBlock(df.res, b, fmt.Sprintf("image %s uses the latest tag", quoted(ref))))
			}
		})
	}
	return rs.list
}

// FX-DOCKER-004, FX-DOCKER-005

var dfRemoteSource = regexp.MustCompile(`^(?i:https?|ftp)://|^git@|\.git(?:#.*)?$`)

// dfTarSuffixes are the archives ADD unpacks.
var dfTarSuffixes = []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst"}

func checkDockerAddURL(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.stages {
			for _, b := range st.instructions("add") {
				if _, ok := dfFlag(b, "checksum"); ok {
					continue
				}
				for _, src := range dfSources(b) {
					if dfRemoteSource.MatchString(src) {
						out = append(out, AtBlock(df.res, b, fmt.Sprintf("ADD fetches %s without --checksum", quoted(src))))
						break
					}
				}
			}
		}
	}
	return out
}

func checkDockerAddCopy(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.stages {
			for _, b := range st.instructions("add") {
				if dfAddNeeded(b) {
					continue
				}
				out = append(out, AtBlock(df.res, b, "ADD copies local files: use COPY"))
			}
		}
	}
	return out
}

// dfAddNeeded reports whether an ADD does something COPY cannot: fetch a
// remote source or unpack a local archive (or might, through a variable).
func dfAddNeeded(b *model.Block) bool {
	for _, src := range dfSources(b) {
		lower := strings.ToLower(src)
		if dfRemoteSource.MatchString(src) || dfUnresolved(src) || strings.ContainsAny(src, "*?[") {
			return true
		}
		for _, suf := range dfTarSuffixes {
			if strings.HasSuffix(lower, suf) {
				return true
			}
		}
	}
	return false
}

// FX-DOCKER-006

var dfPipeToShell = []*regexp.Regexp{
	// curl ... | sh, wget -O- ... | sudo bash -s, curl ... | python3
	regexp.MustCompile(`\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\S+=\S*\s+)*)?(?:\S*/)?(?:ba|z|k|da|a|fi)?sh\b`),
	regexp.MustCompile(`\b(?:curl|wget)\b[^|;&\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:\S*/)?(?:python[0-9.]*|perl|ruby|node|php)\b`),
	// sh -c "$(curl ...)", bash <(curl ...), source <(wget -O- ...)
	regexp.MustCompile(`\b(?:(?:ba|z|k|da|a)?sh|source|eval)\s+(?:-\S+\s+)*["']?(?:\$\(|<\(|` + "`" + `)\s*(?:curl|wget)\b`),
	regexp.MustCompile(`(?:^|[;&|\s])\.\s+<\(\s*(?:curl|wget)\b`),
}

func checkDockerCurlPipe(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.stages {
			for _, b := range st.instructions("run") {
				script := shJoinContinuations(dfRunScript(b))
				for _, re := range dfPipeToShell {
					if re.MatchString(script) {
						out = append(out, AtBlock(df.res, b, "a downloaded script is run without verification"))
						break
					}
				}
			}
		}
	}
	return out
}

func shJoinContinuations(s string) string { return strings.ReplaceAll(s, "\\\n", " ") }

// FX-DOCKER-007

func checkDockerPackagePins(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.stages {
			for _, b := range st.instructions("run") {
				var msgs []string
				for _, pc := range pkgCommands(dfRunScript(b)) {
					if pc.action != "install" {
						continue
					}
					var loose []string
					for _, p := range pc.packages {
						if !dfUnresolved(p) && !strings.HasPrefix(p, "@") && !pkgPinned(pc.manager, p) {
							loose = append(loose, p)
						}
					}
					if len(loose) > 0 {
						msgs = append(msgs, fmt.Sprintf("%s installs %s without a version", pc.program, strings.Join(loose, ", ")))
					}
				}
				if len(msgs) > 0 {
					out = append(out, AtBlock(df.res, b, strings.Join(msgs, "; ")))
				}
			}
		}
	}
	return out
}

// FX-DOCKER-008

var (
	pkgAptListsRemoved = regexp.MustCompile(`\brm\b[^;&|\n]*/var/lib/apt/lists`)
	pkgApkCacheRemoved = regexp.MustCompile(`\brm\b[^;&|\n]*/var/cache/apk`)
	pkgYumCacheCleaned = regexp.MustCompile(`\b(?:yum|dnf|microdnf|tdnf)\s+(?:-\S+\s+)*clean\s+(?:-\S+\s+)*all\b|\brm\b[^;&|\n]*/var/cache/(?:yum|dnf)`)
	pkgZypperCleaned   = regexp.MustCompile(`\bzypper\s+(?:-\S+\s+)*(?:clean|cc)\b|\brm\b[^;&|\n]*/var/cache/zypp`)
)

// dfCacheMounted reports whether a RUN keeps a directory on a BuildKit cache
// mount, outside the image.
func dfCacheMounted(b *model.Block, dir string) bool {
	flags, _ := b.Attr("flags").Strings()
	for _, f := range flags {
		if strings.HasPrefix(f, "--mount=") && strings.Contains(f, "type=cache") && strings.Contains(f, dir) {
			return true
		}
	}
	return false
}

func checkDockerPackageCache(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.shipped() {
			for _, b := range st.instructions("run") {
				script := shJoinContinuations(dfRunScript(b))
				seen := map[string]bool{}
				var msgs []string
				for _, pc := range pkgCommands(script) {
					if pc.action != "install" || seen[pc.manager] {
						continue
					}
					seen[pc.manager] = true
					if msg := pkgCacheLeft(b, pc, script); msg != "" {
						msgs = append(msgs, msg)
					}
				}
				if len(msgs) > 0 {
					out = append(out, AtBlock(df.res, b, strings.Join(msgs, "; ")))
				}
			}
		}
	}
	return out
}

// pkgCacheLeft says what cache an install leaves in the layer, or "".
func pkgCacheLeft(b *model.Block, pc pkgCommand, script string) string {
	switch pc.manager {
	case "apt":
		if !pkgAptListsRemoved.MatchString(script) && !dfCacheMounted(b, "/var/lib/apt") {
			return pc.program + " install without removing /var/lib/apt/lists in the same RUN"
		}
	case "apk":
		if !slices.Contains(pc.words, "--no-cache") && !pkgApkCacheRemoved.MatchString(script) && !dfCacheMounted(b, "/var/cache/apk") {
			return "apk add without --no-cache"
		}
	case "yum":
		if !pkgYumCacheCleaned.MatchString(script) && !dfCacheMounted(b, "/var/cache/yum") && !dfCacheMounted(b, "/var/cache/dnf") {
			return pc.program + " install without " + pc.program + " clean all in the same RUN"
		}
	case "zypper":
		if !pkgZypperCleaned.MatchString(script) && !dfCacheMounted(b, "/var/cache/zypp") {
			return "zypper install without zypper clean in the same RUN"
		}
	}
	return ""
}

// FX-DOCKER-009

func checkDockerUpgrade(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.stages {
			for _, b := range st.instructions("run") {
				for _, pc := range pkgCommands(dfRunScript(b)) {
					// yum update <package> updates one named package, like an install.
					if pc.action == "upgrade" && (pc.manager == "apt" || pc.manager == "apk" || len(pc.packages) == 0) {
						out = append(out, AtBlock(df.res, b, fmt.Sprintf("%s upgrades every package to whatever is current at build time", pc.program)))
						break
					}
				}
			}
		}
	}
	return out
}

// FX-DOCKER-010

// dfRemoteServers are packages that provide remote login, remote desktop or
// file transfer servers.
var dfRemoteServers = map[string]string{
	"openssh-server": "SSH server", "openssh": "SSH server", "ssh": "SSH server", "dropbear": "SSH server",
	"dropbear-bin": "SSH server", "tinysshd": "SSH server",
	"telnetd": "telnet server", "inetutils-telnetd": "telnet server", "telnet-server": "telnet server", "telnetd-ssl": "telnet server",
	"rsh-server": "rsh server", "rsh-redone-server": "rsh server",
	"vsftpd": "FTP server", "proftpd": "FTP server", "proftpd-basic": "FTP server", "proftpd-core": "FTP server",
	"pure-ftpd": "FTP server", "tftpd": "TFTP server", "tftpd-hpa": "TFTP server", "atftpd": "TFTP server", "tftp-server": "TFTP server",
	"xinetd": "inetd super-server", "openbsd-inetd": "inetd super-server", "inetutils-inetd": "inetd super-server",
	"xrdp": "RDP server", "tigervnc-server": "VNC server", "tightvncserver": "VNC server", "x11vnc": "VNC server",
	"vnc4server": "VNC server", "tigervnc-standalone-server": "VNC server",
}

func checkDockerRemoteServers(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.shipped() {
			for _, b := range st.instructions("run") {
				var found []string
				for _, p := range pkgInstalled(dfRunScript(b)) {
					if kind, ok := dfRemoteServers[p]; ok && !slices.Contains(found, p+" ("+kind+")") {
						found = append(found, p+" ("+kind+")")
					}
				}
				if len(found) > 0 {
					out = append(out, AtBlock(df.res, b, "installs "+strings.Join(found, ", ")))
				}
			}
		}
	}
	return out
}

// FX-DOCKER-011

var dockerAdminPorts = map[int]string{21: "FTP", 22: "SSH", 23: "telnet", 3389: "RDP", 5900: "VNC"}

func checkDockerAdminPorts(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.shipped() {
			for _, b := range st.instructions("expose") {
				var found []string
				for _, arg := range dfArgs(b) {
					for _, p := range strings.Fields(arg) {
						for _, port := range dfExposedAdminPorts(p) {
							found = append(found, fmt.Sprintf("%d (%s)", port, dockerAdminPorts[port]))
						}
					}
				}
				if len(found) > 0 {
					out = append(out, AtBlock(df.res, b, "exposes "+strings.Join(found, ", ")))
				}
			}
		}
	}
	return out
}

// dfExposedAdminPorts returns the administration ports an EXPOSE argument
// (22, 22/tcp, 20-23/tcp) covers.
func dfExposedAdminPorts(arg string) []int {
	spec, _, _ := strings.Cut(arg, "/")
	lo, hi, isRange := strings.Cut(spec, "-")
	from, err := strconv.Atoi(lo)
	if err != nil {
		return nil
	}
	to := from
	if isRange {
		if to, err = strconv.Atoi(hi); err != nil {
			return nil
		}
	}
	var out []int
	for _, p := range []int{21, 22, 23, 3389, 5900} {
		if p >= from && p <= to {
			out = append(out, p)
		}
	}
	return out
}

// FX-DOCKER-012

func checkDockerSecrets(s *model.State) []Result {
	var rs resultSet
	for _, df := range dockerfiles(s) {
		blocks := append([]*model.Block(nil), df.globalArgs...)
		for _, st := range df.stages {
			blocks = append(blocks, st.instructions("env", "arg")...)
		}
		for _, b := range blocks {
			for _, arg := range dfArgs(b) {
				if msg := dfSecretInVariable(b.Type, arg); msg != "" {
					rs.add(AtBlock(df.res, b, msg))
				}
			}
		}
	}
	return rs.list
}

// dfAWSKeyIDName is the conventional name of an AWS access key ID, which the
// secret-name test leaves out as "an id".
var dfAWSKeyIDName = regexp.MustCompile(`(?i)^aws_?access_?key(?:_?id)?$`)

// dfSecretInVariable describes the secret an ENV or ARG argument holds, or "".
// The message never carries the value.
func dfSecretInVariable(instr, arg string) string {
	key, value, has := dfKV(arg)
	kind := strings.ToUpper(instr)
	if has {
		for _, m := range secrets.Find(key + "=" + value) {
			if !strings.HasPrefix(m.Kind, "literal value assigned") {
				what := m.Kind
				if m.Hint != "" {
					what += " (" + m.Hint + ")"
				}
				return fmt.Sprintf("%s %s holds a credential: %s", kind, key, what)
			}
		}
	}
	if !secrets.IsSecretName(key) && !dfAWSKeyIDName.MatchString(key) {
		return ""
	}
	switch {
	case instr == "arg" && (!has || value == ""):
		return fmt.Sprintf("ARG %s: a secret passed as a build argument is recorded in the image history", key)
	case instr == "arg":
		return fmt.Sprintf("ARG %s has a default value, recorded in the Dockerfile and the image history", key)
	case dfUnresolved(value):
		return fmt.Sprintf("ENV %s is set from a build variable and stored in the image configuration", key)
	case !secrets.IsLiteral(value):
		// An empty or placeholder ENV only declares that the container
		// expects the variable at run time, when the orchestrator sets it.
		return ""
	}
	return fmt.Sprintf("ENV %s holds a literal secret, stored in the image configuration", key)
}

// FX-DOCKER-013

func checkDockerSudo(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.shipped() {
			for _, b := range st.instructions("run") {
				script := dfRunScript(b)
				switch {
				case slices.Contains(pkgInstalled(script), "sudo"):
					out = append(out, AtBlock(df.res, b, "installs sudo"))
				case shUsesSudo(script):
					out = append(out, AtBlock(df.res, b, "runs a command with sudo"))
				}
			}
		}
	}
	return out
}

// FX-DOCKER-014

func checkDockerHealthcheck(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		found := false
		for _, st := range df.shipped() {
			if len(st.instructions("healthcheck")) > 0 {
				found = true
				break
			}
		}
		if !found {
			out = append(out, AtBlock(df.res, df.final().from(), "the final stage has no HEALTHCHECK"))
		}
	}
	return out
}

// FX-DOCKER-015

var dfSymbolicWorldWritable = regexp.MustCompile(`^[ugoa]*[oa][ugoa]*[+=][rwxXst]*w`)

// dfWorldWritableMode reports whether a chmod mode gives write access to
// others, without the sticky bit that makes a shared directory safe.
func dfWorldWritableMode(mode string) bool {
	if n, err := strconv.ParseUint(mode, 8, 32); err == nil && len(mode) >= 3 {
		return n&0o002 != 0 && n&0o1000 == 0
	}
	for _, clause := range strings.Split(mode, ",") {
		if dfSymbolicWorldWritable.MatchString(clause) && !strings.Contains(clause, "t") {
			return true
		}
	}
	return false
}

func checkDockerWorldWritable(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.shipped() {
			for _, b := range st.block.Blocks {
				switch b.Type {
				case "copy", "add":
					if mode, ok := dfFlag(b, "chmod"); ok && dfWorldWritableMode(mode) {
						out = append(out, AtBlock(df.res, b, fmt.Sprintf("--chmod=%s makes the files world-writable", mode)))
					}
				case "run":
					for _, words := range shCommands(dfRunScript(b)) {
						if mode := shChmodMode(words); mode != "" && dfWorldWritableMode(mode) {
							out = append(out, AtBlock(df.res, b, fmt.Sprintf("chmod %s makes files world-writable", mode)))
							break
						}
					}
				}
			}
		}
	}
	return out
}

// shChmodMode returns the mode argument of a chmod command, or "".
func shChmodMode(words []string) string {
	if shProgram(words) != "chmod" {
		return ""
	}
	for _, w := range words[1:] {
		if strings.HasPrefix(w, "--") {
			continue
		}
		if strings.HasPrefix(w, "-") && strings.Trim(w[1:], "RvfcH") == "" {
			continue
		}
		return w
	}
	return ""
}

// FX-DOCKER-016

func checkDockerMaintainer(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.stages {
			for _, b := range st.instructions("maintainer") {
				out = append(out, AtBlock(df.res, b, "MAINTAINER is deprecated: use an org.opencontainers.image.authors label"))
			}
		}
	}
	return out
}

// FX-DOCKER-017

var dfSecretFileNames = map[string]string{
	"id_rsa": "an SSH private key", "id_dsa": "an SSH private key", "id_ecdsa": "an SSH private key",
	"id_ed25519": "an SSH private key", ".ssh": "an SSH directory", ".env": "a dotenv file",
	".netrc": "a netrc credentials file", "_netrc": "a netrc credentials file", ".npmrc": "an npm credentials file",
	".pypirc": "a PyPI credentials file", ".git-credentials": "a git credentials file", ".pgpass": "a PostgreSQL password file",
	".htpasswd": "an htpasswd file", "credentials": "a credentials file", "credentials.json": "a credentials file",
	".dockercfg": "a Docker registry credentials file", "kubeconfig": "a Kubernetes credentials file",
	"tls.key": "a private key", "server.key": "a private key", "private.key": "a private key", "privkey.pem": "a private key",
	".vault-token": "a Vault token", "terraform.tfstate": "a Terraform state file",
}

var dfSecretFileSuffixes = map[string]string{
	".pfx": "a PKCS#12 key store", ".p12": "a PKCS#12 key store", ".ppk": "a PuTTY private key",
	"_rsa": "an SSH private key", "_ed25519": "an SSH private key", "_ecdsa": "an SSH private key",
}

// dfSecretFile describes what a copied source path is when it looks like a
// credential, or "".
func dfSecretFile(src string) string {
	p := strings.TrimRight(src, "/")
	lower := strings.ToLower(p)
	base := lower[strings.LastIndexByte(lower, '/')+1:]
	if kind, ok := dfSecretFileNames[base]; ok {
		return kind
	}
	switch {
	case strings.HasSuffix(lower, "/.aws/credentials") || lower == ".aws" || strings.HasSuffix(lower, "/.aws"):
		return "AWS credentials"
	case strings.HasSuffix(lower, "/.docker/config.json"):
		return "Docker registry credentials"
	case strings.HasSuffix(lower, "/.kube/config") || lower == ".kube" || strings.HasSuffix(lower, "/.kube"):
		return "a Kubernetes credentials file"
	case strings.HasPrefix(base, ".env.") && !strings.Contains(base, "example") && !strings.Contains(base, "sample") && !strings.Contains(base, "template"):
		return "a dotenv file"
	}
	for suf, kind := range dfSecretFileSuffixes {
		if strings.HasSuffix(base, suf) {
			return kind
		}
	}
	return ""
}

func checkDockerSecretFiles(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.stages {
			for _, b := range st.instructions("copy", "add") {
				var found []string
				for _, src := range dfSources(b) {
					if kind := dfSecretFile(src); kind != "" {
						found = append(found, fmt.Sprintf("%s (%s)", quoted(src), kind))
					}
				}
				// A harmless-looking source copied to a credential's place
				// (COPY deploy/aws /root/.aws/credentials) is one too.
				if args := dfArgs(b); len(found) == 0 && len(args) >= 2 {
					dest := args[len(args)-1]
					if kind := dfSecretFile(dest); kind != "" && !strings.HasSuffix(dest, "/") {
						found = append(found, fmt.Sprintf("%s to %s (%s)", quoted(args[0]), quoted(dest), kind))
					}
				}
				if len(found) > 0 {
					out = append(out, AtBlock(df.res, b, "copies "+strings.Join(found, ", ")+" into the image"))
				}
			}
		}
	}
	return out
}

// FX-DOCKER-018

type dfInsecureOption struct {
	what string
	re   *regexp.Regexp
}

var dfInsecureRunOptions = []dfInsecureOption{
	{"curl --insecure", regexp.MustCompile(`\bcurl\b[^|;&\n]*\s(?:--insecure\b|-[a-zA-Z]*k[a-zA-Z]*\b)`)},
	{"wget --no-check-certificate", regexp.MustCompile(`\bwget\b[^|;&\n]*\s--no-check-certificate\b`)},
	{"apt --allow-unauthenticated", regexp.MustCompile(`--allow-unauthenticated\b|--force-yes\b|AllowUnauthenticated\s*=?\s*"?(?:true|1)|Verify-Peer\s*=?\s*"?false`)},
	{"apt source marked [trusted=yes]", regexp.MustCompile(`\[[^\]]*\btrusted=yes`)},
	{"apk --allow-untrusted", regexp.MustCompile(`\bapk\b[^|;&\n]*\s--allow-untrusted\b`)},
	{"--nogpgcheck", regexp.MustCompile(`--nogpgcheck\b|\bgpgcheck\s*=\s*0\b|\bsslverify\s*=\s*(?:0|false|no)\b`)},
	{"rpm --nosignature", regexp.MustCompile(`\brpm\b[^|;&\n]*\s--no(?:signature|digest)\b`)},
	{"pip --trusted-host", regexp.MustCompile(`\bpip[0-9.]*\b[^|;&\n]*\s--trusted-host\b`)},
	{"npm strict-ssl false", regexp.MustCompile(`\b(?:npm|yarn)\b[^|;&\n]*strict-ssl\s*=?\s*false\b`)},
	{"git http.sslVerify=false", regexp.MustCompile(`(?i)http\.sslverify\s*=?\s*(?:false|0)\b`)},
}

// dfInsecureEnv are variables that turn verification off when set as shown.
var dfInsecureEnv = map[string]func(v string) bool{
	"NODE_TLS_REJECT_UNAUTHORIZED": func(v string) bool { return v == "0" },
	"GIT_SSL_NO_VERIFY":            func(v string) bool { return v != "" && v != "0" && !strings.EqualFold(v, "false") },
	"PYTHONHTTPSVERIFY":            func(v string) bool { return v == "0" },
	"PIP_TRUSTED_HOST":             func(v string) bool { return v != "" },
	"NPM_CONFIG_STRICT_SSL":        func(v string) bool { return strings.EqualFold(v, "false") },
	"CURL_INSECURE":                func(v string) bool { return v != "" && v != "0" },
}

func checkDockerInsecureFetch(s *model.State) []Result {
	var out []Result
	for _, df := range dockerfiles(s) {
		for _, st := range df.stages {
			for _, b := range st.block.Blocks {
				var found []string
				switch b.Type {
				case "run":
					script := shJoinContinuations(dfRunScript(b))
					for _, o := range dfInsecureRunOptions {
						if o.re.MatchString(script) {
							found = append(found, o.what)
						}
					}
				case "env":
					for _, arg := range dfArgs(b) {
						k, v, _ := dfKV(arg)
						if bad, ok := dfInsecureEnv[strings.ToUpper(k)]; ok && bad(v) {
							found = append(found, k+"="+v)
						}
					}
				}
				if len(found) > 0 {
					out = append(out, AtBlock(df.res, b, "verification disabled: "+strings.Join(found, ", ")))
				}
			}
		}
	}
	return out
}
