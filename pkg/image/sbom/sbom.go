// Package sbom writes a catalog.SBOM in the standard interchange formats,
// CycloneDX and SPDX.
//
// Both writers are deterministic: the same image gives the same bytes. The
// document time is the image's creation time (catalog.SBOM.Created), and
// the serial number and document namespace are derived from the image
// digest, so regenerating an SBOM for an unchanged image is a no-op diff.
package sbom

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"

	"github.com/fixity-sec/fixity/pkg/image/catalog"
)

// toolName is the creator both formats record.
const toolName = "fixity"

// documentUUID identifies the document: a name-based UUID of the image
// digest (or config digest), or, for a root filesystem that has neither,
// of its reference and package list.
func documentUUID(s *catalog.SBOM) uuid.UUID {
	seed := s.Image.Digest
	if seed == "" {
		seed = s.Image.ID
	}
	if seed == "" {
		var b strings.Builder
		b.WriteString(s.Image.Source + ":" + s.Image.Ref)
		for _, p := range s.Packages {
			b.WriteString("\n" + p.Type + " " + p.Name + " " + p.Version + " " + p.PURL)
		}
		seed = b.String()
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://fixity.invalid/sbom/"+seed))
}

// packageID is a stable identifier for a package within a document, valid
// both as a CycloneDX bom-ref and as an SPDX element ID ([A-Za-z0-9.-]):
// its type and name, readable, plus a hash of everything that tells it
// apart from another package of the same name.
func packageID(p catalog.Package) string {
	h := sha256.Sum256([]byte(strings.Join([]string{p.Type, p.Name, p.Version, p.Arch, p.PURL, p.SourceName, p.SourceVersion}, "\x00")))
	return "Package-" + sanitize(p.Type) + "-" + sanitize(p.Name) + "-" + hex.EncodeToString(h[:8])
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '-'
	}, s)
}

// imageName is what the documents call the image.
func imageName(s *catalog.SBOM) string {
	if s.Image.Ref != "" {
		return s.Image.Ref
	}
	return "image"
}

// imageVersion is the image's identity: manifest digest, else config digest.
func imageVersion(s *catalog.SBOM) string {
	if s.Image.Digest != "" {
		return s.Image.Digest
	}
	return s.Image.ID
}
