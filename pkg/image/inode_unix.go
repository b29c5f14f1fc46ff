//go:build unix

package image

import (
	"io/fs"
	"syscall"
)

type inode struct{ dev, ino uint64 }

// inodeOf identifies the inode of a file with more than one name.
func inodeOf(fi fs.FileInfo) (inode, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Nlink < 2 {
		return inode{}, false
	}
	return inode{dev: uint64(st.Dev), ino: uint64(st.Ino)}, true //nolint:unconvert // types differ across platforms
}
