package rules

import (
	"regexp"
	"strings"
)

// This file recognises OS package manager commands in RUN scripts: apt-get
// and apt, apk, yum, dnf, microdnf and tdnf, and zypper.

// pkgCommand is one package manager invocation.
type pkgCommand struct {
	// manager is the program family: "apt", "apk", "yum" (yum, dnf,
	// microdnf, tdnf) or "zypper".
	manager string
	// program is the executable as written, e.g. "apt-get" or "dnf".
	program string
	// action is the subcommand, normalised: "install", "upgrade" or other.
	action string
	// packages are the package arguments of an install or upgrade.
	packages []string
	// words are the options and arguments after the program.
	words []string
}

// pkgManagers maps an executable to its family.
var pkgManagers = map[string]string{
	"apt-get": "apt", "apt": "apt", "aptitude": "apt",
	"apk": "apk",
	"yum": "yum", "dnf": "yum", "microdnf": "yum", "tdnf": "yum",
	"zypper": "zypper",
}

// pkgValueOptions are the options of each family that take the next word as
// their value, so that it is not read as a package.
var pkgValueOptions = map[string]map[string]bool{
	"apt":    {"-o": true, "-t": true, "-c": true, "--option": true, "--target-release": true, "--config-file": true},
	"apk":    {"-X": true, "--repository": true, "-t": true, "--virtual": true, "-p": true, "--root": true, "--arch": true, "--cache-dir": true, "--keys-dir": true, "--repositories-file": true},
	"yum":    {"-x": true, "--exclude": true, "-c": true, "--config": true, "--installroot": true, "--releasever": true, "--enablerepo": true, "--disablerepo": true, "--repo": true, "--setopt": true},
	"zypper": {"-t": true, "--type": true, "-r": true, "--repo": true, "--from": true, "--root": true, "-R": true},
}

// pkgActions maps each family's subcommands to install or upgrade.
var pkgActions = map[string]map[string]string{
	"apt":    {"install": "install", "upgrade": "upgrade", "dist-upgrade": "upgrade", "full-upgrade": "upgrade"},
	"apk":    {"add": "install", "upgrade": "upgrade"},
	"yum":    {"install": "install", "update": "upgrade", "upgrade": "upgrade", "distro-sync": "upgrade", "upgrade-minimal": "upgrade"},
	"zypper": {"install": "install", "in": "install", "update": "upgrade", "up": "upgrade", "dist-upgrade": "upgrade", "dup": "upgrade", "patch": "upgrade"},
}

// pkgCommands returns the package manager commands of a script.
func pkgCommands(script string) []pkgCommand {
	var out []pkgCommand
	for _, words := range shCommands(script) {
		prog := shProgram(words)
		family, ok := pkgManagers[prog]
		if !ok {
			continue
		}
		pc := pkgCommand{manager: family, program: prog, words: words[1:]}
		rest := words[1:]
		// The subcommand is the first word that is not an option.
		for i := 0; i < len(rest); i++ {
			w := rest[i]
			if strings.HasPrefix(w, "-") {
				if pkgValueOptions[family][w] {
					i++
				}
				continue
			}
			pc.action = pkgActions[family][w]
			if pc.action == "" {
				pc.action = w
			}
			pc.packages = pkgArgs(family, rest[i+1:])
			break
		}
		out = append(out, pc)
	}
	return out
}

// pkgArgs returns the words of an install that name packages.
func pkgArgs(family string, words []string) []string {
	var out []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.HasPrefix(w, "-") {
			if pkgValueOptions[family][w] {
				i++
			}
			continue
		}
		if w == "" || strings.HasPrefix(w, ">") || strings.HasPrefix(w, "<") {
			continue
		}
		out = append(out, w)
	}
	return out
}

var pkgRPMVersion = regexp.MustCompile(`-\d`)

// pkgPinned reports whether a package argument names a version (or a package
// file, which is as fixed as its bytes).
func pkgPinned(family, pkg string) bool {
	lower := strings.ToLower(pkg)
	if strings.HasSuffix(lower, ".deb") || strings.HasSuffix(lower, ".rpm") || strings.HasSuffix(lower, ".apk") || strings.Contains(pkg, "/") {
		return true
	}
	switch family {
	case "apt":
		return strings.Contains(pkg, "=")
	case "apk":
		return strings.ContainsAny(pkg, "=~<>")
	case "yum", "zypper":
		return strings.ContainsAny(pkg, "=<>") || pkgRPMVersion.MatchString(pkg)
	}
	return true
}

// pkgName strips the version, release and architecture from a package
// argument: openssh-server=1:8.9p1-3 and openssh-server-8.0p1 are
// openssh-server.
func pkgName(family, pkg string) string {
	name := strings.ToLower(pkg)
	if i := strings.IndexAny(name, "=<>~"); i >= 0 {
		name = name[:i]
	}
	if i := strings.IndexByte(name, ':'); i >= 0 && family == "apt" {
		name = name[:i]
	}
	if family == "yum" || family == "zypper" {
		if loc := pkgRPMVersion.FindStringIndex(name); loc != nil {
			name = name[:loc[0]]
		}
	}
	return name
}

// pkgInstalled returns the package names a script installs.
func pkgInstalled(script string) []string {
	var out []string
	for _, pc := range pkgCommands(script) {
		if pc.action != "install" {
			continue
		}
		for _, p := range pc.packages {
			if !dfUnresolved(p) {
				out = append(out, pkgName(pc.manager, p))
			}
		}
	}
	return out
}
