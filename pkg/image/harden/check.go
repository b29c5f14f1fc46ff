package harden

import (
	"archive/tar"
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/image"
)

// DefaultMaxAge is the rebuild window FX-IMG-008 enforces when Options
// leaves MaxAge zero: two weeks is about how long a distribution's security
// fixes wait before most fleets want them.
const DefaultMaxAge = 14 * 24 * time.Hour

// Options configures Check.
type Options struct {
	// MaxAge is how old an image may be before FX-IMG-008 fires;
	// DefaultMaxAge when zero, never when negative.
	MaxAge time.Duration
	// Now is the clock the age is measured against; time.Now when nil.
	Now func() time.Time
}

// Check runs every image hardening rule over img in one streaming pass of
// its layers plus its configuration, and returns the findings sorted by
// rule, file and message.
//
// File is the path inside the image ("" for findings about the
// configuration), Resource the image reference, and messages name layers by
// index, 0 being the base. A root filesystem directory has no configuration:
// the configuration rules (FX-IMG-003, 007, 008) do not run on it.
//
// A file of a root filesystem that could not be read was not checked, and
// a directory that could not be listed hides what is under it: a secrets
// check that could not read a file must not look clean. Check then returns
// the findings on the rest together with an *image.IncompleteError listing
// those paths.
func Check(ctx context.Context, img *image.Image, opts Options) ([]finding.Finding, error) {
	if img == nil {
		return nil, fmt.Errorf("harden: nil image")
	}
	c := &checker{img: img, hist: newHistory(), servers: map[string]bool{}}
	walked := img
	if img.V1 != nil {
		cp := *img
		cp.V1 = c.hist.wrap(img.V1)
		walked = &cp
	}
	unread, err := image.Unreadable(image.Walk(ctx, walked, c.visit))
	if err != nil {
		return nil, err
	}
	c.packageFindings()
	if img.V1 != nil {
		c.checkConfig(opts)
	}
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := c.out[i], c.out[j]
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Message < b.Message
	})
	return c.out, image.Incomplete(unread)
}

// checker is the state of one Check.
type checker struct {
	img  *image.Image
	hist *history
	out  []finding.Finding

	// passwd is the final /etc/passwd, for resolving the configured user.
	passwd    []byte
	hasPasswd bool
	// servers are the daemons found as binaries; their packages then add
	// nothing (one finding per server, not one per file of it).
	servers map[string]bool
	// pkgs are server packages found in the package databases, by name, with
	// where they were seen, reported only when no binary was.
	pkgs []serverPackage
}

type serverPackage struct {
	rule, name, server, file string
	layer                    int
}

func (c *checker) add(id, file, msg string) {
	r := rule(id)
	c.out = append(c.out, finding.Finding{
		RuleID:      r.ID,
		Severity:    r.Severity,
		Title:       r.Title,
		Message:     msg,
		File:        file,
		Resource:    c.img.Ref,
		Remediation: r.Remediation,
		References:  append([]string(nil), r.References...),
	})
}

func (c *checker) visit(f image.File) error {
	if f.Layer > 0 {
		// The base layer has nothing below it to replace.
		defer c.hist.saw(f.Path, f.Layer, f.Type == tar.TypeDir)
	}
	// Content is read once, bounded, and only for files small enough to be
	// worth a look: credentials and /etc/passwd are small text files.
	var content []byte
	if f.Type == tar.TypeReg && f.Size > 0 && f.Size <= maxScan {
		content, _ = readBounded(f.Content, maxScan)
	}
	if content != nil {
		// Every layer's copy, visible or not: the bytes are in the image.
		c.checkSecrets(f, content)
	}
	if !f.Visible() {
		return nil
	}
	switch f.Type {
	case tar.TypeDir:
		c.checkDir(f)
	case tar.TypeReg, tar.TypeLink, tar.TypeSymlink:
		c.checkServer(f)
		if f.Type != tar.TypeSymlink {
			c.checkSetuid(f)
		}
		if f.Path == "/etc/passwd" && f.Type == tar.TypeReg {
			c.passwd, c.hasPasswd = content, true
		}
	}
	return nil
}

// --- FX-IMG-001 / FX-IMG-002: servers for logging in -----------------------

// serverBinaries maps a daemon's file name to its rule and what it serves.
var serverBinaries = map[string]struct{ rule, what string }{
	"sshd":       {SSHServer, "OpenSSH server"},
	"dropbear":   {SSHServer, "Dropbear SSH server"},
	"telnetd":    {PlaintextLogin, "telnet server"},
	"in.telnetd": {PlaintextLogin, "telnet server"},
	"utelnetd":   {PlaintextLogin, "telnet server"},
	"ftpd":       {PlaintextLogin, "FTP server"},
	"in.ftpd":    {PlaintextLogin, "FTP server"},
	"vsftpd":     {PlaintextLogin, "FTP server"},
	"proftpd":    {PlaintextLogin, "FTP server"},
	"pure-ftpd":  {PlaintextLogin, "FTP server"},
	"in.tftpd":   {PlaintextLogin, "TFTP server"},
	"tftpd":      {PlaintextLogin, "TFTP server"},
}

// serverPackages maps a package name to its rule and the daemon binary
// that makes the package redundant to report.
var serverPackages = map[string]struct{ rule, binary string }{
	"openssh-server":    {SSHServer, "sshd"},
	"dropbear":          {SSHServer, "dropbear"},
	"dropbear-bin":      {SSHServer, "dropbear"},
	"telnetd":           {PlaintextLogin, "in.telnetd"},
	"inetutils-telnetd": {PlaintextLogin, "telnetd"},
	"vsftpd":            {PlaintextLogin, "vsftpd"},
	"proftpd-basic":     {PlaintextLogin, "proftpd"},
	"proftpd-core":      {PlaintextLogin, "proftpd"},
	"pure-ftpd":         {PlaintextLogin, "pure-ftpd"},
	"tftpd-hpa":         {PlaintextLogin, "in.tftpd"},
}

// binDirs are where daemons live; a file named sshd elsewhere (the PAM
// configuration /etc/pam.d/sshd) is not the daemon.
func inBinDir(p string) bool {
	d := path.Base(path.Dir(p))
	return d == "bin" || d == "sbin" || d == "libexec" || strings.HasSuffix(path.Dir(p), "/openssh")
}

func (c *checker) checkServer(f image.File) {
	base := path.Base(f.Path)
	if s, ok := serverBinaries[base]; ok && inBinDir(f.Path) && (f.Type == tar.TypeSymlink || f.Mode&0o111 != 0) {
		c.servers[base] = true
		what := fmt.Sprintf("%s binary %s", s.what, f.Path)
		if f.Type == tar.TypeSymlink {
			what += " (link to " + f.Link + ")"
		}
		c.add(s.rule, f.Path, fmt.Sprintf("%s, added in layer %d", what, f.Layer))
		return
	}
	// dpkg keeps one <package>.list per installed package; with Multi-Arch
	// the name carries ":<arch>".
	if dir, name := path.Split(f.Path); dir == "/var/lib/dpkg/info/" && strings.HasSuffix(name, ".list") {
		pkg, _, _ := strings.Cut(strings.TrimSuffix(name, ".list"), ":")
		if p, ok := serverPackages[pkg]; ok {
			c.pkgs = append(c.pkgs, serverPackage{rule: p.rule, name: pkg, server: p.binary, file: f.Path, layer: f.Layer})
		}
	}
}

// packageFindings reports server packages whose daemon was not found as a
// binary (moved, renamed, or removed by hand but still registered).
func (c *checker) packageFindings() {
	for _, p := range c.pkgs {
		if c.servers[p.server] {
			continue
		}
		c.add(p.rule, p.file, fmt.Sprintf("package %s is installed (dpkg), added in layer %d", p.name, p.layer))
	}
}

// --- FX-IMG-004: setuid and setgid -----------------------------------------

// knownSetuid are the base-system tools that need their setuid/setgid bit
// to do their one job, accepted in the standard binary directories only (a
// copy of su in /opt is not the distribution's su).
var knownSetuid = map[string]bool{
	"su": true, "passwd": true, "mount": true, "umount": true, "ping": true, "ping6": true,
	"newgrp": true, "chsh": true, "chfn": true, "gpasswd": true, "unix_chkpwd": true,
	"chage": true, "expiry": true, "wall": true,
}

var systemBinDirs = map[string]bool{"/bin": true, "/sbin": true, "/usr/bin": true, "/usr/sbin": true}

func (c *checker) checkSetuid(f image.File) {
	if f.Mode&(fs.ModeSetuid|fs.ModeSetgid) == 0 || f.Mode&0o111 == 0 {
		return
	}
	if knownSetuid[path.Base(f.Path)] && systemBinDirs[path.Dir(f.Path)] {
		return
	}
	var bits []string
	if f.Mode&fs.ModeSetuid != 0 {
		bits = append(bits, fmt.Sprintf("setuid (owner uid %d)", f.UID))
	}
	if f.Mode&fs.ModeSetgid != 0 {
		bits = append(bits, fmt.Sprintf("setgid (group gid %d)", f.GID))
	}
	msg := fmt.Sprintf("%s is %s, mode %s, added in layer %d", f.Path, strings.Join(bits, " and "), octal(f.Mode), f.Layer)
	if path.Base(f.Path) == "sudo" {
		msg += "; sudo lets the workload become root"
	}
	c.add(Setuid, f.Path, msg)
}

// --- FX-IMG-005: world-writable directories --------------------------------

func (c *checker) checkDir(f image.File) {
	if f.Mode&0o002 == 0 || f.Mode&fs.ModeSticky != 0 {
		return
	}
	c.add(WorldWritable, f.Path, fmt.Sprintf("%s is world-writable without the sticky bit, mode %s, added in layer %d", f.Path, octal(f.Mode), f.Layer))
}

// octal renders a mode as chmod takes it: 0755, 4755, 1777.
func octal(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return fmt.Sprintf("%04o", v)
}

// --- FX-IMG-003 / 007 / 008: the configuration -----------------------------

func (c *checker) checkConfig(opts Options) {
	cfg := c.img.Config
	c.checkUser(cfg.User)
	for _, p := range cfg.ExposedPorts {
		port, proto, _ := strings.Cut(p, "/")
		if what, ok := adminPorts[port]; ok {
			if proto == "" {
				proto = "tcp"
			}
			c.add(RemoteAdmin, "", fmt.Sprintf("image exposes %s/%s (%s)", port, proto, what))
		}
	}
	c.checkAge(cfg.Created, opts)
}

var adminPorts = map[string]string{"22": "SSH", "23": "telnet", "3389": "RDP"}

func (c *checker) checkUser(user string) {
	name, _, _ := strings.Cut(user, ":")
	switch {
	case user == "":
		c.add(RootUser, "", "config user is empty, so the image runs as root")
		return
	case name == "root" || name == "0":
		c.add(RootUser, "", fmt.Sprintf("config user %q is root (uid 0)", user))
		return
	}
	if _, err := strconv.Atoi(name); err == nil || !c.hasPasswd {
		return
	}
	// A name is whatever /etc/passwd says it is: "admin" may well be uid 0.
	for _, line := range strings.Split(string(c.passwd), "\n") {
		fields := strings.Split(line, ":")
		if len(fields) >= 3 && fields[0] == name && fields[2] == "0" {
			c.add(RootUser, "/etc/passwd", fmt.Sprintf("config user %q has uid 0 in /etc/passwd", user))
			return
		}
	}
}

// epochFloor is before any real build: reproducible builds stamp images with
// the Unix epoch (or 1980 for zip-era tools), which says nothing about age.
var epochFloor = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func (c *checker) checkAge(created time.Time, opts Options) {
	maxAge := opts.MaxAge
	if maxAge == 0 {
		maxAge = DefaultMaxAge
	}
	if maxAge < 0 || created.Before(epochFloor) {
		return
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	age := now().Sub(created)
	if age <= maxAge {
		return
	}
	c.add(StaleImage, "", fmt.Sprintf("image was created %s ago (%s), more than the %s rebuild window",
		days(age), created.UTC().Format("2006-01-02"), days(maxAge)))
}

// days renders a duration in whole days ("30 days"), or hours below a day.
func days(d time.Duration) string {
	if d < 24*time.Hour {
		h := int(d.Hours())
		if h == 1 {
			return "1 hour"
		}
		return strconv.Itoa(h) + " hours"
	}
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
