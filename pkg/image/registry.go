package image

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// FromRegistry reads an image from a registry by reference ("alpine:3.20",
// "registry.example.com/app@sha256:..."). A multi-platform index is resolved
// to the image for the requested platform (default linux/amd64).
// Credentials come from the keychain (default: Docker config and helpers).
// Layers are downloaded once, on first read or by Pull, into a temporary
// directory that Close removes: close the image when done with it.
func FromRegistry(ctx context.Context, ref string, opts ...Option) (*Image, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRegistry, ref, err)
	}
	var nameOpts []name.Option
	if o.insecure {
		nameOpts = append(nameOpts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nameOpts...)
	if err != nil {
		return nil, fmt.Errorf("%s %s: bad reference: %w", SourceRegistry, ref, err)
	}
	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(o.keychain)}
	if o.transport != nil {
		ropts = append(ropts, remote.WithTransport(o.transport))
	}
	desc, err := remote.Get(r, ropts...)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRegistry, ref, err)
	}
	sp := newSpool()
	if !desc.MediaType.IsIndex() {
		img, err := desc.Image()
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", SourceRegistry, ref, err)
		}
		out, err := fromV1(SourceRegistry, ref, desc.Digest.String(), sp.image(img))
		if err != nil {
			return nil, err
		}
		out.spool = sp
		return out, checkPlatform(o, out)
	}
	idx, err := desc.ImageIndex()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRegistry, ref, err)
	}
	cands, err := indexCandidates(idx, 0)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceRegistry, ref, err)
	}
	c, err := choose(o, SourceRegistry, ref, cands)
	if err != nil {
		return nil, err
	}
	img, err := idx.Image(c.desc.Digest)
	if err != nil {
		// Nested indexes: the image is not a direct child; go through the
		// registry by digest.
		img, err = remote.Image(r.Context().Digest(c.desc.Digest.String()), ropts...)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", SourceRegistry, ref, err)
		}
	}
	out, err := fromV1(SourceRegistry, ref, c.desc.Digest.String(), sp.image(img))
	if err != nil {
		return nil, err
	}
	out.spool = sp
	if out.Platform == nil {
		out.Platform = c.platform
	}
	return out, nil
}

// maxIndexDepth bounds nested indexes, which a hostile source could make
// arbitrarily deep.
const maxIndexDepth = 4

// indexCandidates lists the images of an index, descending into nested
// indexes.
func indexCandidates(idx v1.ImageIndex, depth int) ([]candidate, error) {
	if depth > maxIndexDepth {
		return nil, fmt.Errorf("indexes nested deeper than %d", maxIndexDepth)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, err
	}
	var out []candidate
	for _, d := range im.Manifests {
		switch {
		case d.MediaType.IsImage():
			out = append(out, candidate{desc: d, platform: d.Platform, index: idx})
		case d.MediaType.IsIndex():
			child, err := idx.ImageIndex(d.Digest)
			if err != nil {
				return nil, err
			}
			more, err := indexCandidates(child, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
	}
	return out, nil
}
