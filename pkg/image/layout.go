package image

import (
	"context"
	"fmt"
	"os"

	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// refNameAnnotation is how an OCI layout names its images.
const refNameAnnotation = "org.opencontainers.image.ref.name"

// FromOCILayout reads an image from an OCI image layout directory. The image
// is the only one in the layout, the one whose ref.name annotation equals
// WithTag, or the one for the requested platform.
func FromOCILayout(ctx context.Context, dir string, opts ...Option) (*Image, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceOCILayout, dir, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceOCILayout, dir, err)
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceOCILayout, dir, err)
	}
	cands, err := indexCandidates(idx, 0)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceOCILayout, dir, err)
	}
	if o.tag != "" {
		var tagged []candidate
		for _, c := range cands {
			if c.desc.Annotations[refNameAnnotation] == o.tag {
				tagged = append(tagged, c)
			}
		}
		if len(tagged) == 0 {
			return nil, fmt.Errorf("%s %s: no image named %q", SourceOCILayout, dir, o.tag)
		}
		cands = tagged
	}
	c, err := choose(o, SourceOCILayout, dir, cands)
	if err != nil {
		return nil, err
	}
	// Read through the index that lists the image: the layout's own
	// index.json knows only its direct children.
	img, err := c.index.Image(c.desc.Digest)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceOCILayout, dir, err)
	}
	out, err := fromV1(SourceOCILayout, dir, c.desc.Digest.String(), img)
	if err != nil {
		return nil, err
	}
	if c.platform != nil {
		// Chosen by the index's word for it, which may be more precise
		// (variant) than the config's.
		if out.Platform == nil {
			out.Platform = c.platform
		}
		return out, nil
	}
	return out, checkPlatform(o, out)
}
