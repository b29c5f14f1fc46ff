package sbom

import (
	"fmt"
	"io"
	"strings"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"

	"github.com/fixity-sec/fixity/pkg/image/catalog"
)

const noAssertion = "NOASSERTION"

// WriteSPDX writes s as an SPDX 2.3 JSON document: the document describes
// the image package, which CONTAINS the operating system and every package.
// Package licenses are recorded as a comment, not as licenseDeclared: the
// databases spell them in their own dialects ("GPLv2+", "ASL 2.0"), which
// are not SPDX expressions.
func WriteSPDX(w io.Writer, s *catalog.SBOM) error {
	if s == nil {
		return fmt.Errorf("sbom: nil SBOM")
	}
	name := imageName(s)
	doc := &spdx.Document{
		SPDXVersion:       spdx.Version,
		DataLicense:       spdx.DataLicense,
		SPDXIdentifier:    "DOCUMENT",
		DocumentName:      name,
		DocumentNamespace: "https://spdx.org/spdxdocs/" + sanitize(name) + "-" + documentUUID(s).String(),
		CreationInfo: &spdx.CreationInfo{
			Creators: []common.Creator{{CreatorType: "Tool", Creator: toolName}},
			Created:  s.Created().Format(time.RFC3339),
		},
	}
	const imageID = "Image"
	img := &spdx.Package{
		PackageName: name, PackageSPDXIdentifier: imageID, PackageVersion: imageVersion(s),
		PackageDownloadLocation: noAssertion, PrimaryPackagePurpose: "CONTAINER",
		PackageLicenseConcluded: noAssertion, PackageLicenseDeclared: noAssertion, PackageCopyrightText: noAssertion,
	}
	if s.Image.Digest != "" {
		if alg, hex, ok := strings.Cut(s.Image.Digest, ":"); ok && alg == "sha256" {
			img.PackageChecksums = []common.Checksum{{Algorithm: common.SHA256, Value: hex}}
		}
	}
	doc.Packages = append(doc.Packages, img)
	rel := func(a, typ, b string) {
		doc.Relationships = append(doc.Relationships, &spdx.Relationship{
			RefA: common.MakeDocElementID("", a), RefB: common.MakeDocElementID("", b), Relationship: typ,
		})
	}
	rel("DOCUMENT", "DESCRIBES", imageID)
	if s.OS.ID != "" {
		doc.Packages = append(doc.Packages, &spdx.Package{
			PackageName: s.OS.ID, PackageSPDXIdentifier: "OperatingSystem", PackageVersion: s.OS.VersionID,
			PackageDescription: s.OS.PrettyName, PackageDownloadLocation: noAssertion,
			PrimaryPackagePurpose:   "OPERATING-SYSTEM",
			PackageLicenseConcluded: noAssertion, PackageLicenseDeclared: noAssertion, PackageCopyrightText: noAssertion,
		})
		rel(imageID, "CONTAINS", "OperatingSystem")
	}
	for _, p := range s.Packages {
		id := packageID(p)
		sp := &spdx.Package{
			PackageName: p.Name, PackageSPDXIdentifier: common.ElementID(id), PackageVersion: p.Version,
			PackageDownloadLocation: noAssertion, PrimaryPackagePurpose: "LIBRARY",
			PackageLicenseConcluded: noAssertion, PackageLicenseDeclared: noAssertion, PackageCopyrightText: noAssertion,
			PackageComment: locationsComment(p),
		}
		if p.License != "" {
			sp.PackageLicenseComments = "declared by the package database: " + p.License
		}
		if p.SourceName != "" && (p.SourceName != p.Name || p.SourceVersion != p.Version) {
			sp.PackageSourceInfo = "built from source package " + p.SourceName + " " + p.SourceVersion
		}
		if p.PURL != "" {
			sp.PackageExternalReferences = []*spdx.PackageExternalReference{
				{Category: "PACKAGE-MANAGER", RefType: "purl", Locator: p.PURL},
			}
		}
		doc.Packages = append(doc.Packages, sp)
		rel(imageID, "CONTAINS", id)
	}
	if err := spdxjson.Write(doc, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("sbom: spdx: %w", err)
	}
	return nil
}

// locationsComment says where the package was found, one file a line.
func locationsComment(p catalog.Package) string {
	var b strings.Builder
	for i, l := range p.Locations {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("found by " + p.FoundBy + " in " + l.Path)
		if l.LayerDiffID != "" {
			fmt.Fprintf(&b, " (layer %d %s)", l.Layer, l.LayerDiffID)
		}
	}
	return b.String()
}
