package sbom

import (
	"fmt"
	"io"
	"strconv"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/fixity-sec/fixity/pkg/image/catalog"
)

// CycloneDXVersion is the specification version WriteCycloneDX writes.
var CycloneDXVersion = cdx.SpecVersion1_6

// Property names: CycloneDX has no field for these, so they go in
// properties under the tool's namespace, as the CycloneDX property
// taxonomy recommends.
const (
	propType          = "fixity:package:type"
	propEcosystem     = "fixity:package:ecosystem"
	propSourceName    = "fixity:package:sourceName"
	propSourceVersion = "fixity:package:sourceVersion"
	propArch          = "fixity:package:arch"
	propFoundBy       = "fixity:package:foundBy"
	propLocation      = "fixity:location:%d:path"
	propLayer         = "fixity:location:%d:layerDiffID"
)

const imageRef = "image"

// WriteCycloneDX writes s as a CycloneDX JSON document: the image as the
// metadata component, the operating system and every package as components
// (with their files as evidence occurrences), and the image depending on
// all of them.
func WriteCycloneDX(w io.Writer, s *catalog.SBOM) error {
	if s == nil {
		return fmt.Errorf("sbom: nil SBOM")
	}
	bom := cdx.NewBOM()
	bom.SerialNumber = "urn:uuid:" + documentUUID(s).String()
	image := cdx.Component{
		BOMRef: imageRef, Type: cdx.ComponentTypeContainer,
		Name: imageName(s), Version: imageVersion(s),
	}
	var imgProps []cdx.Property
	addProp := func(props *[]cdx.Property, k, v string) {
		if v != "" {
			*props = append(*props, cdx.Property{Name: k, Value: v})
		}
	}
	addProp(&imgProps, "fixity:image:source", s.Image.Source)
	addProp(&imgProps, "fixity:image:id", s.Image.ID)
	addProp(&imgProps, "fixity:image:platform", s.Image.Platform)
	for i, l := range s.Image.Layers {
		addProp(&imgProps, fmt.Sprintf("fixity:image:layer:%d:diffID", i), l)
	}
	if len(imgProps) > 0 {
		image.Properties = &imgProps
	}
	bom.Metadata = &cdx.Metadata{
		Timestamp: s.Created().Format(time.RFC3339),
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{
			{Type: cdx.ComponentTypeApplication, Name: toolName},
		}},
		Component: &image,
	}

	var comps []cdx.Component
	var refs []string
	if s.OS.ID != "" {
		comps = append(comps, cdx.Component{
			BOMRef: "os", Type: cdx.ComponentTypeOS, Name: s.OS.ID, Version: s.OS.VersionID,
			Description: s.OS.PrettyName,
		})
		refs = append(refs, "os")
	}
	for _, p := range s.Packages {
		c := cdx.Component{
			BOMRef: packageID(p), Type: cdx.ComponentTypeLibrary,
			Name: p.Name, Version: p.Version, PackageURL: p.PURL,
		}
		if p.License != "" {
			c.Licenses = &cdx.Licenses{{License: &cdx.License{Name: p.License}}}
		}
		var props []cdx.Property
		addProp(&props, propType, p.Type)
		addProp(&props, propEcosystem, p.Ecosystem)
		addProp(&props, propSourceName, p.SourceName)
		addProp(&props, propSourceVersion, p.SourceVersion)
		addProp(&props, propArch, p.Arch)
		addProp(&props, propFoundBy, p.FoundBy)
		var occ []cdx.EvidenceOccurrence
		for i, l := range p.Locations {
			addProp(&props, fmt.Sprintf(propLocation, i), l.Path)
			addProp(&props, fmt.Sprintf(propLayer, i), l.LayerDiffID)
			occ = append(occ, cdx.EvidenceOccurrence{Location: l.Path, AdditionalContext: layerContext(l)})
		}
		if len(props) > 0 {
			c.Properties = &props
		}
		if len(occ) > 0 {
			c.Evidence = &cdx.Evidence{Occurrences: &occ}
		}
		comps = append(comps, c)
		refs = append(refs, c.BOMRef)
	}
	bom.Components = &comps
	deps := []cdx.Dependency{{Ref: imageRef}}
	if len(refs) > 0 {
		deps[0].Dependencies = &refs
	}
	bom.Dependencies = &deps

	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true)
	enc.SetEscapeHTML(false)
	if err := enc.EncodeVersion(bom, CycloneDXVersion); err != nil {
		return fmt.Errorf("sbom: cyclonedx: %w", err)
	}
	return nil
}

func layerContext(l catalog.Location) string {
	if l.LayerDiffID == "" {
		return ""
	}
	return "layer " + strconv.Itoa(l.Layer) + " " + l.LayerDiffID
}
