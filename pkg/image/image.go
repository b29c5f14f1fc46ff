// Package image reads container and machine images for analysis.
//
// Every source (a registry, a docker-archive tarball, an OCI layout, a plain
// root filesystem directory) returns the same *Image, so the code that looks
// at an image's files never knows where the bytes came from. Walk and Squash
// then read the filesystem in one streaming pass, without extracting to disk.
package image

import (
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Source kinds, as they appear in Image.Source and in error messages.
const (
	SourceRegistry      = "registry"
	SourceDockerArchive = "docker-archive"
	SourceOCILayout     = "oci-layout"
	SourceRootFS        = "rootfs"
)

// DefaultPlatform is used to pick an image out of a multi-platform index when
// no platform is given: golden images are overwhelmingly built for it.
const DefaultPlatform = "linux/amd64"

// Image is one image ready to be read, whatever its source.
type Image struct {
	// Source is one of the Source* constants.
	Source string
	// Ref is what the caller named: a reference, an archive path, a layout
	// directory or a root filesystem directory.
	Ref string
	// Digest is the manifest digest ("sha256:..."), the identity an image
	// keeps across registries. Empty for a root filesystem, and for a
	// docker-archive, whose manifest digest is not stored in the archive and
	// would cost a recompression of every layer to compute; use ID there.
	Digest string
	// ID is the config digest (what `docker images` shows as IMAGE ID).
	// Empty for a root filesystem.
	ID string
	// Platform the image was built for, when known.
	Platform *v1.Platform
	// Config is the runtime configuration (zero for a root filesystem).
	Config Config

	// V1 is the underlying image; nil for a root filesystem.
	V1 v1.Image
	// Root is the directory of a root filesystem; empty otherwise, and for
	// one read through an fs.FS (FromFS).
	Root string

	// fsys is the root filesystem of FromFS.
	fsys fs.FS

	// spool holds the layers of a registry image once downloaded.
	spool *spool
}

// String names the image for messages: source and reference, plus digest.
func (i *Image) String() string {
	s := i.Source + ":" + i.Ref
	if i.Digest != "" && !strings.Contains(i.Ref, i.Digest) {
		s += "@" + i.Digest
	}
	return s
}

// Config is the part of the image configuration that matters for how the
// image will run.
type Config struct {
	User         string
	Entrypoint   []string
	Cmd          []string
	Env          []string
	WorkingDir   string
	ExposedPorts []string // sorted, e.g. "443/tcp"
	Volumes      []string // sorted
	Labels       map[string]string
	StopSignal   string
	Created      time.Time
	OS           string
	Architecture string
	Variant      string
}

func configFrom(cf *v1.ConfigFile) Config {
	if cf == nil {
		return Config{}
	}
	c := cf.Config
	return Config{
		User:         c.User,
		Entrypoint:   c.Entrypoint,
		Cmd:          c.Cmd,
		Env:          c.Env,
		WorkingDir:   c.WorkingDir,
		ExposedPorts: sortedKeys(c.ExposedPorts),
		Volumes:      sortedKeys(c.Volumes),
		Labels:       c.Labels,
		StopSignal:   c.StopSignal,
		Created:      cf.Created.Time,
		OS:           cf.OS,
		Architecture: cf.Architecture,
		Variant:      cf.Variant,
	}
}

func sortedKeys(m map[string]struct{}) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Option configures a source.
type Option func(*options) error

type options struct {
	platform         v1.Platform
	platformExplicit bool
	keychain         authn.Keychain
	transport        http.RoundTripper
	tag              string
	insecure         bool
}

func makeOptions(opts []Option) (*options, error) {
	p, err := v1.ParsePlatform(DefaultPlatform)
	if err != nil {
		return nil, err
	}
	o := &options{platform: *p, keychain: authn.DefaultKeychain}
	for _, opt := range opts {
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// WithPlatform selects the image for a platform ("linux/arm64",
// "linux/arm/v7") out of a multi-platform index. When the source holds a
// single image and the platform was given explicitly, the image must match.
func WithPlatform(platform string) Option {
	return func(o *options) error {
		p, err := v1.ParsePlatform(platform)
		if err != nil || p.OS == "" || p.Architecture == "" {
			return fmt.Errorf("invalid platform %q: want os/arch[/variant]", platform)
		}
		o.platform = *p
		o.platformExplicit = true
		return nil
	}
}

// WithKeychain sets where registry credentials come from. The default is
// authn.DefaultKeychain: the Docker config file and its credential helpers.
func WithKeychain(k authn.Keychain) Option {
	return func(o *options) error { o.keychain = k; return nil }
}

// WithTransport sets the HTTP transport for registry access (proxies,
// private CAs, tests).
func WithTransport(t http.RoundTripper) Option {
	return func(o *options) error { o.transport = t; return nil }
}

// WithTag selects one image of a docker-archive that holds several, or of an
// OCI layout by its org.opencontainers.image.ref.name annotation.
func WithTag(tag string) Option {
	return func(o *options) error { o.tag = tag; return nil }
}

// WithInsecure allows plain HTTP to the registry (internal mirrors).
// Registries on localhost use HTTP without it.
func WithInsecure() Option {
	return func(o *options) error { o.insecure = true; return nil }
}

// fromV1 fills an Image from a v1.Image: identity, platform and config.
func fromV1(source, ref, digest string, img v1.Image) (*Image, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading config: %w", source, ref, err)
	}
	id, err := img.ConfigName()
	if err != nil {
		return nil, fmt.Errorf("%s %s: config digest: %w", source, ref, err)
	}
	out := &Image{Source: source, Ref: ref, Digest: digest, ID: id.String(), Config: configFrom(cf), V1: img}
	if cf != nil {
		out.Platform = cf.Platform()
	}
	return out, nil
}

// platformString names a platform for messages.
func platformString(p *v1.Platform) string {
	if p == nil {
		return "unknown"
	}
	return p.String()
}

// checkPlatform rejects a single image whose config names another platform
// than the one explicitly asked for.
func checkPlatform(o *options, img *Image) error {
	if !o.platformExplicit || img.Platform == nil || img.Platform.OS == "" {
		return nil
	}
	if !img.Platform.Satisfies(o.platform) {
		return fmt.Errorf("%s %s: image is for %s, not %s", img.Source, img.Ref, platformString(img.Platform), o.platform.String())
	}
	return nil
}

// candidate is one image of an index, with the platform it declares and
// the index that lists it (a nested one, for a layout whose index.json
// points at a multi-arch index).
type candidate struct {
	desc     v1.Descriptor
	platform *v1.Platform
	index    v1.ImageIndex
}

// choose picks the candidate for the wanted platform. With a single
// candidate and no explicit platform, it is taken whatever it declares.
func choose(o *options, source, ref string, cands []candidate) (candidate, error) {
	if len(cands) == 0 {
		return candidate{}, fmt.Errorf("%s %s: index holds no image", source, ref)
	}
	if len(cands) == 1 && (!o.platformExplicit || cands[0].platform == nil) {
		return cands[0], nil
	}
	for _, c := range cands {
		if c.platform != nil && c.platform.Satisfies(o.platform) {
			return c, nil
		}
	}
	var avail []string
	for _, c := range cands {
		avail = append(avail, platformString(c.platform))
	}
	return candidate{}, fmt.Errorf("%s %s: no image for platform %s; available: %s", source, ref, o.platform.String(), strings.Join(avail, ", "))
}
