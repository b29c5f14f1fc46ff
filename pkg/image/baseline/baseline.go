// Package baseline records what an image may execute: every executable
// file of its final filesystem with its hash, plus how the image is
// configured to start. An immutable server never gains a program after it
// is built, so at run time anything executed that is not in the baseline,
// or whose bytes differ from it, is drift or an intrusion; run-time
// whitelisting enforces the baseline this package writes.
package baseline

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/fixity-sec/fixity/pkg/image"
)

// Schema is the version tag of the baseline document.
const Schema = "fixity.baseline/v1"

// Kinds of executables.
const (
	// KindELF is a native binary (or shared object) starting with \x7fELF.
	KindELF = "elf"
	// KindScript starts with #! and names its interpreter.
	KindScript = "script"
	// KindOther has an exec bit but is neither: data, or a script without
	// #! that a shell would run with itself. It is listed all the same,
	// since a shell will execute it.
	KindOther = "other"
)

// Baseline is the executable surface of one image.
type Baseline struct {
	Schema       string       `json:"schema"`
	Image        Ref          `json:"image"`
	Entrypoint   []string     `json:"entrypoint"`
	Cmd          []string     `json:"cmd"`
	User         string       `json:"user"`
	ExposedPorts []string     `json:"exposed_ports"`
	Volumes      []string     `json:"volumes"`
	Executables  []Executable `json:"executables"`

	// byPath indexes Executables for Allows; built by Build and Read.
	byPath map[string]string
}

// Ref identifies the image a baseline was taken from.
type Ref struct {
	Ref    string `json:"ref"`
	Digest string `json:"digest"`
	// ID is the config digest: the only identity of a docker-archive image,
	// whose manifest digest is not stored.
	ID string `json:"id,omitempty"`
}

// Executable is one regular file of the final filesystem with an exec bit.
type Executable struct {
	Path string `json:"path"`
	// SHA256 is the hex digest of the content; a hard link has its
	// target's.
	SHA256 string `json:"sha256"`
	// Mode is the permission bits in octal as chmod takes them ("0755",
	// "4755").
	Mode string `json:"mode"`
	Kind string `json:"kind"`
	// Interpreter is the program of a script's #! line ("/bin/sh",
	// "/usr/bin/env").
	Interpreter string `json:"interpreter,omitempty"`
	// Layer is the index of the layer the file comes from, 0 the base.
	Layer int `json:"layer"`
}

// headSize is how much of a file decides its kind: the kernel reads the
// same 256 bytes (BINPRM_BUF_SIZE) to find a #! line.
const headSize = 256

// content is what Build learns from one regular file.
type content struct {
	sum         string
	kind        string
	interpreter string
}

// Build reads img in one streaming pass and returns its baseline. Symlinks
// are not followed and not listed: what runs is the file they point to,
// listed under its own path.
//
// An executable of a root filesystem that could not be read (or that sits
// in a directory that could not be listed) has no hash to record: it is
// left out, never listed with a made-up digest, so that at run time it is
// an anomaly like any program the image did not ship. Build then returns
// the baseline of the rest together with an *image.IncompleteError listing
// the paths left out (a hard link to such a file among them), for the
// report to say the baseline is incomplete.
func Build(ctx context.Context, img *image.Image) (*Baseline, error) {
	if img == nil {
		return nil, errors.New("baseline: nil image")
	}
	exes := map[string]Executable{}
	// A hard link names a file written earlier in the same layer's tar;
	// layerFiles holds the contents of the current layer's executables, and
	// layerUnread those that could not be read.
	layer := -1
	var layerFiles map[string]content
	var layerUnread map[string]*image.ReadError
	var linked []*image.ReadError // hard links to executables that could not be read
	err := image.Walk(ctx, img, func(f image.File) error {
		if f.Layer != layer {
			layer, layerFiles, layerUnread = f.Layer, map[string]content{}, map[string]*image.ReadError{}
		}
		var c content
		switch {
		case f.Type == tar.TypeReg && f.Mode&0o111 != 0:
			var err error
			if c, err = read(f.Content); err != nil {
				var re *image.ReadError
				if !errors.As(err, &re) {
					return fmt.Errorf("%s: layer %d: %s: %w", img, f.Layer, f.Path, err)
				}
				// Left out; Walk reports it.
				layerUnread[f.Path] = re
				break
			}
			// Even a file a later layer hides: a visible hard link may name it.
			layerFiles[f.Path] = c
		case f.Type == tar.TypeLink && f.Mode&0o111 != 0:
			var ok bool
			if c, ok = layerFiles[f.Link]; !ok {
				re := layerUnread[f.Link]
				if re == nil {
					return fmt.Errorf("%s: layer %d: %s: hard link to %s, which is not an executable written before it in the layer", img, f.Layer, f.Path, f.Link)
				}
				// The same file under another name: just as unreadable.
				linked = append(linked, &image.ReadError{Path: f.Path, Err: re.Err})
			}
		}
		if !f.Visible() {
			return nil
		}
		// Within a layer a later entry for a path replaces an earlier one,
		// whatever it is.
		delete(exes, f.Path)
		if c.sum != "" {
			exes[f.Path] = Executable{
				Path: f.Path, SHA256: c.sum, Mode: octal(f.Mode), Kind: c.kind,
				Interpreter: c.interpreter, Layer: f.Layer,
			}
		}
		return nil
	})
	unread, err := image.Unreadable(err)
	if err != nil {
		return nil, err
	}
	cfg := img.Config
	b := &Baseline{
		Schema:       Schema,
		Image:        Ref{Ref: img.Ref, Digest: img.Digest, ID: img.ID},
		Entrypoint:   cfg.Entrypoint,
		Cmd:          cfg.Cmd,
		User:         cfg.User,
		ExposedPorts: cfg.ExposedPorts,
		Volumes:      cfg.Volumes,
		Executables:  make([]Executable, 0, len(exes)),
	}
	for _, e := range exes {
		b.Executables = append(b.Executables, e)
	}
	b.normalize()
	b.index()
	return b, image.Incomplete(unread, linked)
}

// read hashes a file and tells its kind from its first bytes.
func read(r io.Reader) (content, error) {
	h := sha256.New()
	head := make([]byte, headSize)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return content{}, err
	}
	head = head[:n]
	h.Write(head)
	if _, err := io.Copy(h, r); err != nil {
		return content{}, err
	}
	c := content{sum: hex.EncodeToString(h.Sum(nil)), kind: KindOther}
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		c.kind = KindELF
	case bytes.HasPrefix(head, []byte("#!")):
		c.kind = KindScript
		line, _, _ := bytes.Cut(head[2:], []byte("\n"))
		if fields := strings.Fields(string(line)); len(fields) > 0 {
			c.interpreter = fields[0]
		}
	}
	return c, nil
}

// octal renders a mode as chmod takes it.
func octal(m fs.FileMode) string {
	v := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		v |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		v |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		v |= 0o1000
	}
	return fmt.Sprintf("%04o", v)
}

// normalize makes the document canonical: lists present (never null) and
// executables sorted by path, so that one image always gives the same
// bytes.
func (b *Baseline) normalize() {
	for _, s := range []*[]string{&b.Entrypoint, &b.Cmd, &b.ExposedPorts, &b.Volumes} {
		if *s == nil {
			*s = []string{}
		}
	}
	if b.Executables == nil {
		b.Executables = []Executable{}
	}
	sort.Slice(b.Executables, func(i, j int) bool { return b.Executables[i].Path < b.Executables[j].Path })
}

func (b *Baseline) index() {
	b.byPath = make(map[string]string, len(b.Executables))
	for _, e := range b.Executables {
		b.byPath[e.Path] = e.SHA256
	}
}

// Write writes the baseline as indented JSON, the same bytes for the same
// image every time.
func (b *Baseline) Write(w io.Writer) error {
	c := *b
	c.Entrypoint = append([]string(nil), b.Entrypoint...)
	c.Cmd = append([]string(nil), b.Cmd...)
	c.ExposedPorts = append([]string(nil), b.ExposedPorts...)
	c.Volumes = append([]string(nil), b.Volumes...)
	c.Executables = append([]Executable(nil), b.Executables...)
	c.normalize()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&c); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Read parses a baseline written by Write, and checks it: the schema, and
// that every executable has an absolute clean path, listed once, and a
// SHA-256 digest.
func Read(r io.Reader) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(r)
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	if b.Schema != Schema {
		return nil, fmt.Errorf("baseline: schema %q, want %q", b.Schema, Schema)
	}
	seen := make(map[string]bool, len(b.Executables))
	for i, e := range b.Executables {
		switch {
		case e.Path == "" || e.Path != path.Clean("/"+e.Path):
			return nil, fmt.Errorf("baseline: executable %d: path %q is not absolute and clean", i, e.Path)
		case seen[e.Path]:
			return nil, fmt.Errorf("baseline: executable %d: %s listed twice", i, e.Path)
		case !isSHA256(e.SHA256):
			return nil, fmt.Errorf("baseline: executable %d: %s: sha256 %q is not 64 lower-case hex digits", i, e.Path, e.SHA256)
		}
		seen[e.Path] = true
	}
	b.normalize()
	b.index()
	return &b, nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Allows reports whether the baseline lists an executable at p with the
// given content digest (hex, with or without "sha256:"). Paths are taken as
// absolute: "usr/bin/app" is "/usr/bin/app". It is safe for concurrent use.
func (b *Baseline) Allows(p, sum string) bool {
	p = path.Clean("/" + p)
	sum = strings.ToLower(strings.TrimPrefix(sum, "sha256:"))
	if !isSHA256(sum) {
		return false
	}
	if b.byPath != nil {
		return b.byPath[p] == sum
	}
	// A Baseline built by hand, without Build or Read.
	for _, e := range b.Executables {
		if e.Path == p {
			return e.SHA256 == sum
		}
	}
	return false
}
