package image

import (
	"context"
	"fmt"
	"os"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// FromDockerArchive reads a `docker save` tarball. When the archive holds
// several images, WithTag names the one to read.
func FromDockerArchive(ctx context.Context, path string, opts ...Option) (*Image, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceDockerArchive, path, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Check the file first: tarball reports a missing file lazily and vaguely.
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceDockerArchive, path, err)
	}
	var tag *name.Tag
	if o.tag != "" {
		t, err := name.NewTag(o.tag)
		if err != nil {
			return nil, fmt.Errorf("%s %s: bad tag: %w", SourceDockerArchive, path, err)
		}
		tag = &t
	}
	img, err := tarball.ImageFromPath(path, tag)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", SourceDockerArchive, path, err)
	}
	out, err := fromV1(SourceDockerArchive, path, "", img)
	if err != nil {
		return nil, err
	}
	return out, checkPlatform(o, out)
}
