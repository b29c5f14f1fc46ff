package catalog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/image"
)

// OSInfo is the distribution, from os-release(5).
type OSInfo struct {
	ID              string   // "debian", "alpine", "rocky"
	IDLike          []string // ID_LIKE: "rhel", "fedora"
	VersionID       string   // "12", "3.20.3", "9.4"
	VersionCodename string   // "bookworm"
	PrettyName      string
}

// osReleasePaths are read in order; /etc/os-release wins, as os-release(5)
// says.
var osReleasePaths = []string{"/etc/os-release", "/usr/lib/os-release"}

func wantOSRelease(p string) bool {
	return p == osReleasePaths[0] || p == osReleasePaths[1]
}

// DetectOS reads the distribution from the squashed filesystem. An image
// without os-release (scratch, distroless static) gives a zero OSInfo and no
// error.
func DetectOS(fsys *image.FS) (OSInfo, error) {
	for _, p := range osReleasePaths {
		b, err := fsys.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return OSInfo{}, fmt.Errorf("%s: %w", p, err)
		}
		return ParseOSRelease(b), nil
	}
	return OSInfo{}, nil
}

// ParseOSRelease reads os-release(5) content: KEY=value lines, values
// optionally quoted with shell quoting. Unknown keys and bad lines are
// ignored, as systemd does.
func ParseOSRelease(b []byte) OSInfo {
	var o OSInfo
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		v = unquote(strings.TrimSpace(v))
		switch strings.TrimSpace(k) {
		case "ID":
			o.ID = strings.ToLower(v)
		case "ID_LIKE":
			o.IDLike = strings.Fields(strings.ToLower(v))
		case "VERSION_ID":
			o.VersionID = v
		case "VERSION_CODENAME":
			o.VersionCodename = v
		case "PRETTY_NAME":
			o.PrettyName = v
		}
	}
	return o
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		if v[0] == '"' {
			if u, err := strconv.Unquote(v); err == nil {
				return u
			}
		}
		return v[1 : len(v)-1]
	}
	return v
}

// Is reports whether the distribution is id or derives from it.
func (o OSInfo) Is(id string) bool {
	if o.ID == id {
		return true
	}
	for _, l := range o.IDLike {
		if l == id {
			return true
		}
	}
	return false
}

// Ecosystem is the OSV ecosystem of the distribution's packages, or "" when
// OSV has none for it.
func (o OSInfo) Ecosystem() string {
	// OSV files SUSE's advisories under the product or module that ships a
	// package ("SUSE:Linux Enterprise Module for Basesystem 15 SP5",
	// "openSUSE:Leap 15.5"), which os-release does not always name, so the
	// family is matched, releases and all, as for Red Hat.
	switch suseVendor(o.ID) {
	case "suse":
		return "SUSE"
	case "opensuse":
		return "openSUSE"
	}
	switch o.ID {
	case "debian":
		if major := firstField(o.VersionID, "."); major != "" {
			return "Debian:" + major
		}
		return "Debian"
	case "ubuntu":
		// OSV spells LTS releases "Ubuntu:22.04:LTS"; LTS are the
		// even-year April releases.
		if o.VersionID == "" {
			return "Ubuntu"
		}
		e := "Ubuntu:" + o.VersionID
		if y, m, ok := strings.Cut(o.VersionID, "."); ok && m == "04" {
			if n, err := strconv.Atoi(y); err == nil && n%2 == 0 {
				e += ":LTS"
			}
		}
		return e
	case "alpine":
		parts := strings.SplitN(o.VersionID, ".", 3)
		if len(parts) >= 2 && parts[0] != "" {
			return "Alpine:v" + parts[0] + "." + strings.SplitN(parts[1], "_", 2)[0]
		}
		return "Alpine"
	case "rhel":
		return "Red Hat"
	case "rocky":
		return "Rocky Linux"
	case "almalinux":
		return "AlmaLinux"
	case "wolfi":
		return "Wolfi"
	case "chainguard":
		return "Chainguard"
	case "mageia":
		return "Mageia"
	}
	return ""
}

// suseVendor tells SUSE's enterprise products ("suse") from openSUSE
// ("opensuse") by os-release ID; "" for any other distribution.
func suseVendor(id string) string {
	switch id {
	case "sles", "sled", "sles_sap", "sle_hpc", "sle-micro", "sl-micro":
		return "suse"
	case "opensuse", "opensuse-leap", "opensuse-tumbleweed", "opensuse-slowroll", "opensuse-leap-micro", "opensuse-microos":
		return "opensuse"
	}
	return ""
}

// purlDistro is the distro qualifier of OS package URLs: "debian-12".
func (o OSInfo) purlDistro() string {
	if o.ID == "" {
		return ""
	}
	if o.VersionID == "" {
		return o.ID
	}
	return o.ID + "-" + o.VersionID
}

func firstField(s, sep string) string {
	f, _, _ := strings.Cut(s, sep)
	return f
}
