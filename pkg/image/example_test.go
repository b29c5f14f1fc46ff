package image_test

import (
	"archive/tar"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/fixity-sec/fixity/pkg/image"
)

// A cataloger asks up front for the few files it parses, then reads them
// from the squashed tree; the index has every path.
func ExampleSquash() {
	ctx := context.Background()
	root, _ := os.MkdirTemp("", "rootfs")
	defer os.RemoveAll(root)
	_ = os.MkdirAll(filepath.Join(root, "usr/lib"), 0o755)
	_ = os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	_ = os.WriteFile(filepath.Join(root, "usr/lib/os-release"), []byte("ID=debian\n"), 0o644)
	_ = os.Symlink("../usr/lib/os-release", filepath.Join(root, "etc/os-release"))

	img, err := image.FromRootFS(ctx, root) // or FromRegistry, FromDockerArchive, FromOCILayout
	if err != nil {
		fmt.Println(err)
		return
	}
	tree, err := image.Squash(ctx, img, image.WithContent(func(p string, _ *tar.Header) bool {
		return p == "/etc/os-release"
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := tree.ReadFile("/etc/os-release")
	fmt.Print(string(b))
	e, _ := tree.Stat("/etc/os-release")
	fmt.Println(e.Mode&fs.ModeSymlink != 0, e.Link)
	// Output:
	// ID=debian
	// true ../usr/lib/os-release
}

// Walk sees every entry of every layer, including files a later layer
// deleted: their bytes still ship with the image.
func ExampleWalk() {
	ctx := context.Background()
	img, err := image.FromRegistry(ctx, "registry.example.com/app:1.4", image.WithPlatform("linux/arm64"))
	if err != nil {
		return // no network in this example
	}
	defer img.Close() // a registry image's layers are kept on disk until then
	_ = image.Walk(ctx, img, func(f image.File) error {
		if f.Deleted && f.Type == tar.TypeReg {
			fmt.Printf("%s removed in a later layer, still in layer %d (%s)\n", f.Path, f.Layer, f.LayerDiffID)
		}
		return nil
	})
}
