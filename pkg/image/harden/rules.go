// Package harden checks that an image is fit to be run as immutable
// infrastructure: baked once, started many times, never logged into and
// never patched in place. Anything an image carries that only makes sense
// on a server someone administers by hand (an SSH daemon, a root user,
// setuid helpers, a credential left from the build) is a finding.
//
// Check reads the image in one streaming pass (image.Walk) plus its
// configuration; it never extracts anything to disk.
package harden

import "github.com/fixity-sec/fixity/pkg/finding"

// Rule IDs.
const (
	SSHServer      = "FX-IMG-001"
	PlaintextLogin = "FX-IMG-002"
	RootUser       = "FX-IMG-003"
	Setuid         = "FX-IMG-004"
	WorldWritable  = "FX-IMG-005"
	BakedSecret    = "FX-IMG-006"
	RemoteAdmin    = "FX-IMG-007"
	StaleImage     = "FX-IMG-008"
)

// rules is the metadata of every check, in ID order. It is a value built
// here rather than a registry filled elsewhere, so what runs is plain.
var rules = [...]finding.Rule{
	{
		ID:       SSHServer,
		Severity: finding.High,
		Title:    "SSH server installed in the image",
		Description: "An immutable server is replaced, never logged into: an SSH daemon baked into the image " +
			"is attack surface that serves no purpose, and a standing invitation to fix things by hand on one " +
			"instance, which then drifts from every other instance started from the same image.",
		Remediation: "Remove openssh-server/dropbear from the image. Debug through the orchestrator " +
			"(kubectl debug, ECS Exec, SSM Session Manager) and ship changes as a new image.",
		References: []string{
			"https://docs.docker.com/build/building/best-practices/",
			"https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
		},
	},
	{
		ID:       PlaintextLogin,
		Severity: finding.High,
		Title:    "Telnet or FTP server installed in the image",
		Description: "Telnet and FTP send credentials in clear text and exist to administer or feed a long-lived " +
			"host. In an image that is baked once and replaced rather than patched they are only attack surface, " +
			"copied onto every instance.",
		Remediation: "Remove the telnet/FTP server packages. Move files in at build time or through object " +
			"storage, and administer by replacing the image.",
		References: []string{"https://cwe.mitre.org/data/definitions/319.html"},
	},
	{
		ID:       RootUser,
		Severity: finding.Medium,
		Title:    "Image runs as root",
		Description: "The configured user is root (uid 0), or empty, which means root. A compromise of the " +
			"workload is then a compromise of root in the container, one step from the host. Since the image " +
			"is never changed after it is built, the user it declares is the user every instance runs as.",
		Remediation: "Create an unprivileged user in the image and set USER to it, by number " +
			"(USER 65532:65532) so that runtimes can verify it is not root without reading /etc/passwd.",
		References: []string{
			"https://docs.docker.com/reference/dockerfile/#user",
			"https://kubernetes.io/docs/concepts/security/pod-security-standards/",
		},
	},
	{
		ID:       Setuid,
		Severity: finding.Medium,
		Title:    "Setuid or setgid executable outside the known-good list",
		Description: "A setuid/setgid executable runs with its owner's or group's privileges whoever starts it: " +
			"one bug in it is a privilege escalation. An immutable workload does not change users at run time, " +
			"so beyond a few base-system tools (su, passwd, mount, ping, ...) such bits are unexplained " +
			"privilege, present on every instance. sudo is not on the list: it exists to become root.",
		Remediation: "Remove the program, or clear the bit at build time " +
			"(RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +), and run with no-new-privileges.",
		References: []string{"https://man7.org/linux/man-pages/man2/execve.2.html"},
	},
	{
		ID:       WorldWritable,
		Severity: finding.Low,
		Title:    "World-writable directory without the sticky bit",
		Description: "Anyone can delete or replace anyone else's files in a world-writable directory without the " +
			"sticky bit. An immutable image should write nothing outside declared volumes and tmpfs, so a " +
			"writable shared directory is both a tampering path and a sign of state kept in the image.",
		Remediation: "Make the directory owned by the service user with mode 0755/0750, or set the sticky bit " +
			"(chmod 1777) if it really is a shared scratch area like /tmp.",
		References: []string{"https://man7.org/linux/man-pages/man1/chmod.1.html"},
	},
	{
		ID:       BakedSecret,
		Severity: finding.Critical,
		Title:    "Credential baked into the image",
		Description: "A private key, cloud credential or token in any layer is copied to every registry, cache " +
			"and host that pulls the image, and cannot be rotated without rebuilding and redeploying. Deleting " +
			"the file in a later layer does not help: the earlier layer, with the file, is still in the image.",
		Remediation: "Rotate the credential now. Pass secrets at build time with BuildKit secret mounts " +
			"(RUN --mount=type=secret) and at run time from a secret store; never COPY them, and rebuild the " +
			"image from a clean history rather than deleting the file in a later layer.",
		References: []string{
			"https://docs.docker.com/build/building/secrets/",
			"https://cwe.mitre.org/data/definitions/798.html",
		},
	},
	{
		ID:       RemoteAdmin,
		Severity: finding.Medium,
		Title:    "Image exposes a remote administration port",
		Description: "EXPOSE 22 (SSH), 23 (telnet) or 3389 (RDP) declares that instances are meant to be logged " +
			"into. Immutable instances are replaced, not administered, and the declaration invites orchestrators " +
			"and load balancers to open the port.",
		Remediation: "Remove the EXPOSE instruction for the administration port and use the orchestrator's " +
			"exec/debug facility instead.",
		References: []string{"https://docs.docker.com/reference/dockerfile/#expose"},
	},
	{
		ID:       StaleImage,
		Severity: finding.Medium,
		Title:    "Image is older than the rebuild window",
		Description: "An immutable image is never patched in place: the only way its packages get security " +
			"fixes is a rebuild. An image older than the rebuild window is running with whatever was unpatched " +
			"on the day it was built.",
		Remediation: "Rebuild and redeploy images on a schedule shorter than the window (and on every base " +
			"image update), and deploy by digest so that rebuilds are visible.",
		References: []string{"https://docs.aws.amazon.com/imagebuilder/latest/userguide/what-is-image-builder.html"},
	},
}

// Rules returns the metadata of every image hardening rule, in ID order,
// for reports (SARIF lists the rules that ran) and `fixity rules`.
func Rules() []finding.Rule {
	out := make([]finding.Rule, len(rules))
	for i, r := range rules {
		r.References = append([]string(nil), r.References...)
		out[i] = r
	}
	return out
}

// rule returns the metadata of one rule by ID.
func rule(id string) finding.Rule {
	for _, r := range rules {
		if r.ID == id {
			return r
		}
	}
	return finding.Rule{ID: id} // not reached: the tests check every ID used has metadata
}
