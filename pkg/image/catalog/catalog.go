// Package catalog lists what is installed inside an image: the operating
// system and the packages of its package managers and Go binaries.
//
// Each package manager is one Cataloger: a name, the files it needs and a
// function that turns those files into packages. Catalog reads the image in
// a single Squash pass that keeps exactly the union of the files every
// cataloger wants, so adding a cataloger never adds a pass over the layers.
package catalog

import (
	"archive/tar"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/fixity-sec/fixity/pkg/image"
)

// Package types, as they appear in Package.Type.
const (
	TypeDeb      = "deb"
	TypeApk      = "apk"
	TypeRPM      = "rpm"
	TypeGoModule = "go-module"
)

// Package is one installed package.
type Package struct {
	Name    string
	Version string
	// Type is one of the Type* constants.
	Type string
	// Ecosystem is the OSV ecosystem the package's advisories are published
	// under ("Debian:12", "Alpine:v3.20", "Rocky Linux", "Go"); empty when
	// the distribution is unknown.
	Ecosystem string
	// SourceName and SourceVersion name the source package the binary
	// package was built from (dpkg Source:, apk origin, rpm SOURCERPM).
	// Distributions publish advisories against source packages, so these,
	// not Name, are what vulnerability matching uses. They equal Name and
	// Version when the database names no separate source.
	SourceName    string
	SourceVersion string
	Arch          string
	// License is the declared license as the database spells it (apk L:,
	// rpm LICENSE); dpkg records none.
	License string
	PURL    string
	// FoundBy is the name of the cataloger that found the package.
	FoundBy string
	// Locations are the files the package was read from, sorted.
	Locations []Location
}

// Location is a file a package was read from.
type Location struct {
	Path string
	// Layer is the index of the layer holding the file's final version, and
	// LayerDiffID its uncompressed digest (empty for a root filesystem).
	// That is the layer that last wrote the package database, which is
	// where the package was installed or last upgraded in all but odd cases
	// (a later layer rewriting the database without touching the package).
	Layer       int
	LayerDiffID string
}

// ImageInfo identifies the image an SBOM describes.
type ImageInfo struct {
	Source   string // image.Source* constant
	Ref      string
	Digest   string // manifest digest; may be empty (see image.Image)
	ID       string // config digest
	Platform string // "linux/amd64", when known
	Config   image.Config
	// Layers are the layers' diff IDs, base first.
	Layers []string
}

// SBOM is the result of cataloging an image.
type SBOM struct {
	Image ImageInfo
	// OS is the distribution, zero when the image has no os-release.
	OS OSInfo
	// Packages are sorted by type, name, version, arch and PURL.
	Packages []Package
	// Files counts the entries of the image's final filesystem.
	Files int
	// Errors are the problems that made the list incomplete (a corrupt
	// database, a format not supported), one line each; cataloging goes on
	// past them. Files and directories that could not be read are not
	// among them: Catalog returns those in an *image.IncompleteError.
	Errors []string
}

// Cataloger finds the packages of one package manager or file type.
type Cataloger interface {
	// Name is a short stable identifier ("dpkg"), recorded in FoundBy.
	Name() string
	// Wants reports whether the content of the file at path (absolute,
	// clean), described by h, is needed. It is called for every file of
	// the image and must be cheap. It sees the tar header, not only the
	// path, because some catalogers choose by mode and size (Go binaries).
	Wants(path string, h *tar.Header) bool
	// Catalog returns the packages found in fsys. The files it wanted have
	// content; every other path is only indexed. A non-nil error with
	// packages means the list is partial.
	Catalog(ctx context.Context, fsys *image.FS, osInfo OSInfo) ([]Package, error)
}

// Catalogers is the list of catalogers Catalog runs, in order.
func Catalogers() []Cataloger {
	return []Cataloger{
		dpkgCataloger{},
		apkCataloger{},
		rpmCataloger{},
		goBinaryCataloger{},
	}
}

// MaxFileSize bounds every file Catalog keeps in memory; the largest are Go
// binaries and rpm databases.
const MaxFileSize = 128 << 20

// Catalog reads img once and returns its SBOM.
//
// When paths of a root filesystem could not be read (a package database,
// or a directory holding one, that the scanning user may not read), it
// returns the SBOM of the rest together with an *image.IncompleteError
// listing them.
func Catalog(ctx context.Context, img *image.Image) (*SBOM, error) {
	return CatalogWith(ctx, img, Catalogers())
}

// CatalogWith is Catalog with a chosen list of catalogers.
func CatalogWith(ctx context.Context, img *image.Image, cats []Cataloger) (*SBOM, error) {
	if img == nil {
		return nil, fmt.Errorf("catalog: nil image")
	}
	info, err := imageInfo(img)
	if err != nil {
		return nil, err
	}
	want := func(p string, h *tar.Header) bool {
		if wantOSRelease(p) {
			return true
		}
		for _, c := range cats {
			if c.Wants(p, h) {
				return true
			}
		}
		return false
	}
	fsys, err := image.Squash(ctx, img, image.WithContent(want), image.WithMaxContentSize(MaxFileSize))
	unread, err := image.Unreadable(err)
	if err != nil {
		return nil, err
	}
	s := &SBOM{Image: info, Files: fsys.Len()}
	s.OS, err = DetectOS(fsys)
	if err != nil && !onlyUnreadable(err) {
		s.Errors = append(s.Errors, err.Error())
	}
	for _, c := range cats {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pkgs, err := c.Catalog(ctx, fsys, s.OS)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !onlyUnreadable(err) {
				s.Errors = append(s.Errors, fmt.Sprintf("%s: %v", c.Name(), err))
			}
		}
		for i := range pkgs {
			pkgs[i].FoundBy = c.Name()
			locate(fsys, info.Layers, pkgs[i].Locations)
		}
		s.Packages = append(s.Packages, pkgs...)
	}
	s.Packages = merge(s.Packages)
	return s, image.Incomplete(unread)
}

// MayHidePackageDatabase reports whether a path that could not be read may
// be, or hold, an OS package database (dpkg, apk or rpm): only then does
// finding none say nothing about the image.
func MayHidePackageDatabase(p string) bool {
	dbs := []string{dpkgStatus, dpkgStatusD, apkInstalled}
	for _, d := range rpmDatabases {
		dbs = append(dbs, d.path)
	}
	for _, db := range dbs {
		if p == db || p == "/" || strings.HasPrefix(db, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}

// onlyUnreadable reports whether err is nothing but files that could not be
// read: Squash lists them already, and each is reported once, as a path.
// Every leaf of the error tree must be one: a wrapped join of a read error
// and a parse error is a parse error too.
func onlyUnreadable(err error) bool {
	switch e := err.(type) {
	case nil:
		return false
	case *image.ReadError:
		return true
	case interface{ Unwrap() []error }:
		errs := e.Unwrap()
		for _, e := range errs {
			if !onlyUnreadable(e) {
				return false
			}
		}
		return len(errs) > 0
	case interface{ Unwrap() error }:
		return onlyUnreadable(e.Unwrap())
	}
	return false
}

func imageInfo(img *image.Image) (ImageInfo, error) {
	info := ImageInfo{
		Source: img.Source, Ref: img.Ref, Digest: img.Digest, ID: img.ID, Config: img.Config,
	}
	if p := img.Platform; p != nil {
		info.Platform = p.OS + "/" + p.Architecture
		if p.Variant != "" {
			info.Platform += "/" + p.Variant
		}
	}
	if img.V1 == nil {
		return info, nil
	}
	ls, err := img.V1.Layers()
	if err != nil {
		return info, fmt.Errorf("%s: listing layers: %w", img, err)
	}
	for i, l := range ls {
		d, err := l.DiffID()
		if err != nil {
			return info, fmt.Errorf("%s: layer %d: %w", img, i, err)
		}
		info.Layers = append(info.Layers, d.String())
	}
	return info, nil
}

// locate fills in the layer of each location from the squashed index.
func locate(fsys *image.FS, layers []string, locs []Location) {
	for i := range locs {
		e, ok := fsys.Stat(locs[i].Path)
		if !ok {
			continue
		}
		locs[i].Layer = e.Layer
		if e.Layer >= 0 && e.Layer < len(layers) {
			locs[i].LayerDiffID = layers[e.Layer]
		}
	}
}

// merge folds packages that are the same package found in several places
// (one Go module linked into several binaries, one deb listed twice) into
// one with all their locations, and sorts the result.
func merge(pkgs []Package) []Package {
	key := func(p Package) string {
		return strings.Join([]string{p.Type, p.Name, p.Version, p.Arch, p.PURL, p.SourceName, p.SourceVersion}, "\x00")
	}
	idx := map[string]int{}
	var out []Package
	for _, p := range pkgs {
		k := key(p)
		if i, ok := idx[k]; ok {
			out[i].Locations = append(out[i].Locations, p.Locations...)
			continue
		}
		idx[k] = len(out)
		out = append(out, p)
	}
	for i := range out {
		out[i].Locations = sortLocations(out[i].Locations)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Type != b.Type:
			return a.Type < b.Type
		case a.Name != b.Name:
			return a.Name < b.Name
		case a.Version != b.Version:
			return a.Version < b.Version
		case a.Arch != b.Arch:
			return a.Arch < b.Arch
		default:
			return a.PURL < b.PURL
		}
	})
	return out
}

func sortLocations(ls []Location) []Location {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].Path != ls[j].Path {
			return ls[i].Path < ls[j].Path
		}
		return ls[i].Layer < ls[j].Layer
	})
	var out []Location
	for _, l := range ls {
		if len(out) > 0 && l == out[len(out)-1] {
			continue
		}
		out = append(out, l)
	}
	return out
}

// Created is the time an SBOM is stamped with: the image's creation time,
// so that the same image always yields the same document, or the Unix epoch
// when the image does not say.
func (s *SBOM) Created() time.Time {
	if t := s.Image.Config.Created; !t.IsZero() {
		return t.UTC()
	}
	return time.Unix(0, 0).UTC()
}
