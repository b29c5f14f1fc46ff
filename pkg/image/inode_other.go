//go:build !unix

package image

import "io/fs"

type inode struct{ dev, ino uint64 }

// inodeOf cannot see hard links on this platform.
func inodeOf(fs.FileInfo) (inode, bool) { return inode{}, false }
