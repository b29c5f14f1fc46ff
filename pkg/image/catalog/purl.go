package catalog

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// purl builds a canonical package URL. Empty qualifiers are dropped and the
// rest sorted by key, as the purl spec's canonical form requires.
func purl(typ, namespace, name, version string, qualifiers map[string]string) string {
	q := map[string]string{}
	for k, v := range qualifiers {
		if v != "" {
			q[k] = v
		}
	}
	p := packageurl.NewPackageURL(typ, namespace, name, version, packageurl.QualifiersFromMap(q), "")
	return p.ToString()
}

// osNamespace is the purl namespace of a distribution's packages: its
// os-release ID, except where the purl spec names the vendor instead: Red
// Hat's "redhat", and "opensuse" for every openSUSE flavour (the spec's
// pkg:rpm/opensuse/curl@7.56.1-1.1.?arch=i386&distro=opensuse-tumbleweed);
// SUSE's enterprise products, likewise, "suse".
func osNamespace(o OSInfo) string {
	if o.ID == "rhel" {
		return "redhat"
	}
	if v := suseVendor(o.ID); v != "" {
		return v
	}
	return o.ID
}

// goPURL splits a module path into namespace and name:
// pkg:golang/github.com/pkg/errors@v0.9.1.
func goPURL(module, version string) string {
	ns, name := "", module
	if i := strings.LastIndex(module, "/"); i >= 0 {
		ns, name = module[:i], module[i+1:]
	}
	if version == "(devel)" {
		version = ""
	}
	return purl(packageurl.TypeGolang, ns, name, version, nil)
}
