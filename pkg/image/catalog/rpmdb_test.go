package catalog

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	dbi "github.com/knqyf263/go-rpmdb/pkg/db"
	"github.com/knqyf263/go-rpmdb/pkg/ndb"

	"github.com/fixity-sec/fixity/pkg/image/imagetest"
	"github.com/fixity-sec/fixity/pkg/image/layertest"
)

// gunzipTestdata reads a gzip-compressed fixture.
func gunzipTestdata(t testing.TB, name string) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(testdata(t, name)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// smallestSLE15Blobs returns the n smallest header blobs of the NDB
// fixture, read with go-rpmdb itself: real headers small enough for seeds.
func smallestSLE15Blobs(t testing.TB, n int) [][]byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Packages.db")
	if err := os.WriteFile(path, gunzipTestdata(t, "rpm/sle15-bci-Packages.db.gz"), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := ndb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var blobs [][]byte
	for e := range db.Read() {
		if e.Err != nil {
			t.Fatal(e.Err)
		}
		blobs = append(blobs, e.Value)
	}
	sort.Slice(blobs, func(i, j int) bool { return len(blobs[i]) < len(blobs[j]) })
	return blobs[:n]
}

// writeBDB encodes the blobs as rpm stores them in a Berkeley DB hash
// database, in the given byte order: page 0 the metadata, page 1 one hash
// page holding a key (the package number) and an off-page reference for
// each blob, then each blob's chain of overflow pages. The hash page must
// hold every item, which with 512-byte pages allows 23 blobs.
func writeBDB(t testing.TB, order binary.ByteOrder, pageSize int, blobs ...[]byte) []byte {
	t.Helper()
	var pages [][]byte
	newPage := func(typ byte) []byte {
		p := make([]byte, pageSize)
		order.PutUint32(p[8:], uint32(len(pages)))
		p[25] = typ
		pages = append(pages, p)
		return p
	}
	meta := newPage(bdbMetadataPage)
	order.PutUint32(meta[12:], 0x00061561) // hash magic
	order.PutUint32(meta[16:], 9)          // version
	order.PutUint32(meta[20:], uint32(pageSize))
	hash := newPage(bdbHashPage)
	type ref struct{ first, length uint32 }
	var refs []ref
	for _, b := range blobs {
		first := uint32(len(pages))
		for off := 0; ; off += pageSize - bdbPageHeader {
			end := min(off+pageSize-bdbPageHeader, len(b))
			pno := uint32(len(pages))
			p := newPage(bdbOverflowPage)
			copy(p[bdbPageHeader:], b[off:end])
			order.PutUint16(p[20:], 1)               // reference count
			order.PutUint16(p[22:], uint16(end-off)) // bytes on the page
			if off > 0 {
				order.PutUint32(p[12:], pno-1)
			}
			if end == len(b) {
				break
			}
			order.PutUint32(p[16:], pno+1)
		}
		refs = append(refs, ref{first, uint32(len(b))})
	}
	top := pageSize
	for i, r := range refs {
		top -= 12
		v := hash[top:]
		v[0] = 3 // HOFFPAGE
		order.PutUint32(v[4:], r.first)
		order.PutUint32(v[8:], r.length)
		value := top
		top -= 5
		hash[top] = 1 // KEYDATA
		order.PutUint32(hash[top+1:], uint32(i+1))
		order.PutUint16(hash[bdbPageHeader+4*i:], uint16(top))
		order.PutUint16(hash[bdbPageHeader+4*i+2:], uint16(value))
	}
	if bdbPageHeader+4*len(refs) > top {
		t.Fatalf("%d blobs do not fit in a hash page of %d bytes", len(blobs), pageSize)
	}
	order.PutUint16(hash[20:], uint16(2*len(refs)))
	order.PutUint16(hash[22:], uint16(top))
	order.PutUint32(meta[32:], uint32(len(pages)-1)) // last page
	return bytes.Join(pages, nil)
}

// Page types and header size of writeBDB's pages.
const (
	bdbMetadataPage = 8
	bdbHashPage     = 13
	bdbOverflowPage = 7
	bdbPageHeader   = 26
)

// writeNDB encodes the blobs as an NDB database: the header, one slot page
// and the blobs after it.
func writeNDB(t testing.TB, blobs ...[]byte) []byte {
	t.Helper()
	le := binary.LittleEndian
	out := make([]byte, ndbSlotPageSize)
	le.PutUint32(out, 'R'|'p'<<8|'m'<<16|'P'<<24)
	le.PutUint32(out[8:], 1)  // generation
	le.PutUint32(out[12:], 1) // slot pages
	for off := ndbHeaderSize; off < ndbSlotPageSize; off += ndbSlotSize {
		le.PutUint32(out[off:], ndbSlotMagic)
	}
	if len(blobs) > (ndbSlotPageSize-ndbHeaderSize)/ndbSlotSize {
		t.Fatalf("%d blobs do not fit in one slot page", len(blobs))
	}
	for i, b := range blobs {
		slot := out[ndbHeaderSize+ndbSlotSize*i:]
		blk := len(out) / ndbBlockSize
		le.PutUint32(slot[4:], uint32(i+1))
		le.PutUint32(slot[8:], uint32(blk))
		h := make([]byte, ndbBlobHeaderSize)
		le.PutUint32(h, 'B'|'l'<<8|'b'<<16|'S'<<24)
		le.PutUint32(h[4:], uint32(i+1))
		le.PutUint32(h[12:], uint32(len(b)))
		out = append(append(out, h...), b...)
		for len(out)%ndbBlockSize != 0 {
			out = append(out, 0)
		}
		le.PutUint32(slot[12:], uint32(len(out)/ndbBlockSize-blk))
	}
	return out
}

// bigRPM has a header larger than several 512-byte pages.
var bigRPM = rpmHeader{Name: "big", Version: "1", Release: "1", Arch: "noarch", License: strings.Repeat("GPL-2.0-or-later OR ", 100)}

func TestReadRPMBerkeleyDBAndNDB(t *testing.T) {
	const file = "/var/lib/rpm/Packages"
	big := rpmPackage(bigRPM, file, rocky)
	tests := []struct {
		name string
		read func(context.Context, string, []byte, OSInfo) ([]Package, error)
		db   []byte
		want []Package
	}{
		{"bdb little-endian", ReadRPMBerkeleyDB, writeBDB(t, binary.LittleEndian, 512, testRPMBlobs()...), wantTestRPMs(file)},
		{"bdb big-endian", ReadRPMBerkeleyDB, writeBDB(t, binary.BigEndian, 512, testRPMBlobs()...), wantTestRPMs(file)},
		{"bdb multi-page header", ReadRPMBerkeleyDB, writeBDB(t, binary.LittleEndian, 512, append(testRPMBlobs(), rpmHeaderBlob(bigRPM))...), append(wantTestRPMs(file), big)},
		{"ndb", ReadRPMNDB, writeNDB(t, testRPMBlobs()...), wantTestRPMs(file)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.read(context.Background(), file, tt.db, rocky)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", dump(got), dump(tt.want))
			}
			// The fifth blob is corrupt; the others are read past it.
			if err == nil || !errors.Is(err, errRPMHeader) || !strings.HasPrefix(err.Error(), file+": package 5: ") {
				t.Errorf("err = %v, want the corrupt header reported", err)
			}
		})
	}
}

// The fixtures' expectations are go-rpmdb's own: TestRpmDB_Package
// ("libuuid") and SLE15WithNDB.
func TestReadRPMFixtures(t *testing.T) {
	ctx := context.Background()
	rhel8 := OSInfo{ID: "rhel", VersionID: "8.8"}
	got, err := ReadRPMBerkeleyDB(ctx, "/var/lib/rpm/Packages", gunzipTestdata(t, "rpm/libuuid-Packages.gz"), rhel8)
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{{
		Name: "libuuid", Version: "2.32.1-42.el8_8", Type: TypeRPM, Ecosystem: "Red Hat", Arch: "x86_64", License: "BSD",
		SourceName: "util-linux", SourceVersion: "2.32.1-42.el8_8", Locations: []Location{{Path: "/var/lib/rpm/Packages"}},
		PURL: "pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rhel-8.8&upstream=util-linux-2.32.1-42.el8_8.src.rpm",
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("libuuid: got\n%s\nwant\n%s", dump(got), dump(want))
	}

	const ndbFile = "/usr/lib/sysimage/rpm/Packages.db"
	sles := OSInfo{ID: "sles", VersionID: "15.3"}
	got, err = ReadRPMNDB(ctx, ndbFile, gunzipTestdata(t, "rpm/sle15-bci-Packages.db.gz"), sles)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.Name)
	}
	wantNames := "system-user-root filesystem glibc libpcre1 libgmp10 libgcc_s1 libcap2 libstdc++6 libncurses6 terminfo-base " +
		"libattr1 libselinux1 libreadline7 bash libacl1 coreutils sles-release ca-certificates-mozilla-prebuilt libgpg-error0 libpopt0 " +
		"file-magic libbz2-1 liblua5_3-5 liblzma5 libz1 libzstd1 libmagic1 libdw1 libebl-plugins libelf1 libcrypt1 perl-base libgcrypt20 " +
		"rpm-config-SUSE rpm-ndb"
	if len(got) != 35 || strings.Join(names, " ") != wantNames {
		t.Errorf("sle15-bci: %d packages %q, want 35", len(got), names)
	}
	loc := []Location{{Path: ndbFile}}
	for i, w := range []Package{
		{Name: "system-user-root", Version: "20190513-3.3.1", Type: TypeRPM, Ecosystem: "SUSE", Arch: "noarch", License: "MIT",
			SourceName: "system-user-root", SourceVersion: "20190513-3.3.1", Locations: loc,
			PURL: "pkg:rpm/suse/system-user-root@20190513-3.3.1?arch=noarch&distro=sles-15.3&upstream=system-user-root-20190513-3.3.1.src.rpm"},
		{Name: "glibc", Version: "2.31-9.3.2", Type: TypeRPM, Ecosystem: "SUSE", Arch: "x86_64",
			License:    "LGPL-2.1-or-later AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND GPL-2.0-or-later",
			SourceName: "glibc", SourceVersion: "2.31-9.3.2", Locations: loc,
			PURL: "pkg:rpm/suse/glibc@2.31-9.3.2?arch=x86_64&distro=sles-15.3&upstream=glibc-2.31-9.3.2.src.rpm"},
		{Name: "libstdc++6", Version: "11.2.1+git610-1.3.9", Type: TypeRPM, Ecosystem: "SUSE", Arch: "x86_64",
			License: "GPL-3.0-or-later WITH GCC-exception-3.1", SourceName: "gcc11", SourceVersion: "11.2.1+git610-1.3.9", Locations: loc,
			PURL: "pkg:rpm/suse/libstdc%2B%2B6@11.2.1%2Bgit610-1.3.9?arch=x86_64&distro=sles-15.3&upstream=gcc11-11.2.1%2Bgit610-1.3.9.src.rpm"},
		{Name: "libreadline7", Version: "7.0-19.6.1", Type: TypeRPM, Ecosystem: "SUSE", Arch: "x86_64", License: "GPL-3.0-or-later",
			SourceName: "bash", SourceVersion: "4.4-19.6.1", Locations: loc,
			PURL: "pkg:rpm/suse/libreadline7@7.0-19.6.1?arch=x86_64&distro=sles-15.3&upstream=bash-4.4-19.6.1.src.rpm"},
		{Name: "rpm-ndb", Version: "4.14.3-40.1", Type: TypeRPM, Ecosystem: "SUSE", Arch: "x86_64", License: "GPL-2.0-or-later",
			SourceName: "rpm-ndb", SourceVersion: "4.14.3-40.1", Locations: loc,
			PURL: "pkg:rpm/suse/rpm-ndb@4.14.3-40.1?arch=x86_64&distro=sles-15.3&upstream=rpm-ndb-4.14.3-40.1.src.rpm"},
	} {
		found := false
		for _, p := range got {
			if p.Name == w.Name {
				found = true
				if !reflect.DeepEqual(p, w) {
					t.Errorf("sle15-bci %d: got\n%s\nwant\n%s", i, dump([]Package{p}), dump([]Package{w}))
				}
			}
		}
		if !found {
			t.Errorf("sle15-bci: no %s", w.Name)
		}
	}
}

// A dbMutation damages a valid database the way a hostile image could.
// Several of these make go-rpmdb panic in its goroutine (item count, item
// offset, off-page item and overflow length past the page), loop forever
// (an overflow chain to a hash page, or a loop), allocate 4 GiB (an NDB
// blob length) or print to standard output (a slot magic); go-rpmdb
// reports the others itself. All must be refused with an error naming the
// file.
type dbMutation struct {
	name   string
	mutate func(b []byte) []byte
}

// Offsets in writeBDB(LittleEndian, 512, testRPMBlobs()...): page 1 is the
// hash page, page 2 the first overflow page.
const (
	testPageSize = 512
	testHashPage = testPageSize
	testOvfl     = 2 * testPageSize
)

func le16(b []byte, off int, v uint16) []byte { binary.LittleEndian.PutUint16(b[off:], v); return b }
func le32(b []byte, off int, v uint32) []byte { binary.LittleEndian.PutUint32(b[off:], v); return b }

var bdbMutations = []dbMutation{
	{"empty", func(b []byte) []byte { return nil }},
	{"not a database", func(b []byte) []byte { return []byte("this is not a Berkeley DB file") }},
	{"truncated", func(b []byte) []byte { return b[:len(b)-1] }},
	{"only the metadata", func(b []byte) []byte { return b[:300] }},
	{"bad page size", func(b []byte) []byte { return le32(b, 20, 1000) }},
	{"odd item count", func(b []byte) []byte { return le16(b, testHashPage+20, 3) }},
	{"item count past the page", func(b []byte) []byte { return le16(b, testHashPage+20, 0xfffe) }},
	{"item offset past the page", func(b []byte) []byte { return le16(b, testHashPage+bdbPageHeader+2, 0xfff0) }},
	{"off-page item across the page end", func(b []byte) []byte {
		b[testHashPage+testPageSize-4] = 3
		return le16(b, testHashPage+bdbPageHeader+2, testPageSize-4)
	}},
	{"overflow chain to a hash page", func(b []byte) []byte { b[testOvfl+25] = bdbHashPage; return b }},
	{"overflow chain loop", func(b []byte) []byte { return le32(b, testOvfl+16, 2) }},
	{"overflow chains sharing a page", func(b []byte) []byte {
		// The second value (at the next-to-last 12 bytes) points at the first's chain.
		return le32(b, testHashPage+testPageSize-12-5-12+4, 2)
	}},
	{"overflow page past the end", func(b []byte) []byte { return le32(b, testHashPage+testPageSize-12+4, 0x7fffffff) }},
	{"overflow page offset past 4 GiB", func(b []byte) []byte { return le32(b, testHashPage+testPageSize-12+4, 1<<23+2) }},
	{"overflow length past the page", func(b []byte) []byte { return le16(b, testOvfl+22, testPageSize) }},
}

// Offsets in writeNDB(testRPMBlobs()...): slot 0 at 32, its blob at 4096.
var ndbMutations = []dbMutation{
	{"empty", func(b []byte) []byte { return nil }},
	{"not a database", func(b []byte) []byte { return []byte("this is not an NDB file, but quite long enough") }},
	{"version", func(b []byte) []byte { return le32(b, 4, 1) }},
	{"no slot pages", func(b []byte) []byte { return le32(b, 12, 0) }},
	{"too many slot pages", func(b []byte) []byte { return le32(b, 12, 4096) }},
	{"truncated slot pages", func(b []byte) []byte { return b[:3000] }},
	{"bad slot magic", func(b []byte) []byte { return le32(b, ndbHeaderSize+ndbSlotSize*100, 0) }},
	{"blob past the end", func(b []byte) []byte { return le32(b, ndbHeaderSize+8, 0xfffffff0) }},
	{"blob length of 4 GiB", func(b []byte) []byte { return le32(b, ndbSlotPageSize+12, 0xffffff00) }},
	{"truncated blob", func(b []byte) []byte { return b[:len(b)-20] }},
	{"every slot on one blob", func(b []byte) []byte {
		for off := ndbHeaderSize; off < ndbSlotPageSize; off += ndbSlotSize {
			copy(b[off:off+ndbSlotSize], b[ndbHeaderSize:ndbHeaderSize+ndbSlotSize])
		}
		return b
	}},
}

func TestReadRPMDBMalformed(t *testing.T) {
	const file = "/var/lib/rpm/Packages"
	for _, set := range []struct {
		format    string
		read      func(context.Context, string, []byte, OSInfo) ([]Package, error)
		valid     func() []byte
		mutations []dbMutation
	}{
		{"bdb", ReadRPMBerkeleyDB, func() []byte { return writeBDB(t, binary.LittleEndian, testPageSize, testRPMBlobs()...) }, bdbMutations},
		{"ndb", ReadRPMNDB, func() []byte { return writeNDB(t, testRPMBlobs()...) }, ndbMutations},
	} {
		for _, m := range set.mutations {
			t.Run(set.format+"/"+m.name, func(t *testing.T) {
				got, err := set.read(context.Background(), file, m.mutate(set.valid()), rocky)
				if !errors.Is(err, errRPMDB) || !strings.HasPrefix(err.Error(), file+": malformed rpm database: ") {
					t.Errorf("err = %v, want a malformed database naming the file", err)
				}
				if got != nil {
					t.Errorf("got %d packages from a refused file", len(got))
				}
			})
		}
	}
}

// endlessDB sends header blobs until it is closed, then, as go-rpmdb's
// readers do when their file is closed under them, one error.
type endlessDB struct {
	closed, exited chan struct{}
	sent           int
	afterSend      func(n int)
}

func (d *endlessDB) Read() <-chan dbi.Entry {
	ch := make(chan dbi.Entry)
	blob := rpmHeaderBlob(testRPMs[1])
	go func() {
		defer close(ch)
		defer close(d.exited)
		for {
			select {
			case <-d.closed:
				ch <- dbi.Entry{Err: errors.New("read on closed file")}
				return
			case ch <- dbi.Entry{Value: blob}:
				d.sent++
				d.afterSend(d.sent)
			}
		}
	}()
	return ch
}

func (d *endlessDB) Close() error { close(d.closed); return nil }

func TestReadRPMEntriesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d := &endlessDB{closed: make(chan struct{}), exited: make(chan struct{}), afterSend: func(n int) {
		if n == 3 {
			cancel()
		}
	}}
	got, err := readRPMEntries(ctx, "Packages", d, rocky)
	if !errors.Is(err, context.Canceled) || got != nil {
		t.Errorf("got %d packages, err %v; want none and context.Canceled", len(got), err)
	}
	// readRPMEntries returns once the channel is closed, after the reader exited.
	select {
	case <-d.exited:
	default:
		t.Error("the reader's goroutine is still running")
	}

	// The real readers, cancelled before and while reading.
	done, stop := context.WithCancel(context.Background())
	stop()
	if _, err := ReadRPMNDB(done, "Packages.db", writeNDB(t, testRPMBlobs()...), rocky); !errors.Is(err, context.Canceled) {
		t.Errorf("ndb: err = %v, want context.Canceled", err)
	}
	for _, r := range []struct {
		read func(context.Context, string, []byte, OSInfo) ([]Package, error)
		db   []byte
	}{
		{ReadRPMBerkeleyDB, writeBDB(t, binary.LittleEndian, testPageSize, testRPMBlobs()...)},
		{ReadRPMNDB, writeNDB(t, testRPMBlobs()...)},
	} {
		ctx := &cancelAfter{Context: context.Background(), n: 3, done: make(chan struct{})}
		if got, err := r.read(ctx, "db", r.db, rocky); !errors.Is(err, context.Canceled) || got != nil {
			t.Errorf("got %d packages, err %v; want none and context.Canceled", len(got), err)
		}
	}
}

// cancelAfter is a context that is cancelled at its nth Err call, so
// cancellation lands in the middle of a read.
type cancelAfter struct {
	context.Context
	n    int
	done chan struct{}
}

func (c *cancelAfter) Err() error {
	if c.n--; c.n == 0 {
		close(c.done)
	}
	if c.n <= 0 {
		return context.Canceled
	}
	return nil
}

func (c *cancelAfter) Done() <-chan struct{} { return c.done }

func BenchmarkReadRPMNDB(b *testing.B) {
	db := gunzipTestdata(b, "rpm/sle15-bci-Packages.db.gz")
	sles := OSInfo{ID: "sles", VersionID: "15.3"}
	b.SetBytes(int64(len(db)))
	for b.Loop() {
		if _, err := ReadRPMNDB(context.Background(), "Packages.db", db, sles); err != nil {
			b.Fatal(err)
		}
	}
}

var layerDigest = regexp.MustCompile(`sha256:[0-9a-f]{64}`)

func TestCatalogRPMDatabases(t *testing.T) {
	libuuid := string(gunzipTestdata(t, "rpm/libuuid-Packages.gz"))
	sle15 := string(gunzipTestdata(t, "rpm/sle15-bci-Packages.db.gz"))
	var blobs [][]byte
	for _, h := range testRPMs {
		blobs = append(blobs, rpmHeaderBlob(h))
	}
	bdbDB := string(writeBDB(t, binary.LittleEndian, 512, blobs...))
	ndbDB := string(writeNDB(t, blobs...))
	// Only bash, in the SQLite database, to tell which database was read.
	sqliteDB := string(writeRPMDB(t, rpmHeaderBlob(testRPMs[1])))
	osRelease := func(name string) layertest.Entry {
		return layertest.File("etc/os-release", string(testdata(t, "os-release/"+name)))
	}
	tests := []struct {
		name   string
		layer  []layertest.Entry
		count  int
		want   []string // some of the packages, as fmtPkg prints them
		errors string
	}{
		{"berkeley db in /var/lib/rpm", []layertest.Entry{osRelease("rhel"), layertest.File("var/lib/rpm/Packages", libuuid)}, 1, []string{
			"rpm libuuid 2.32.1-42.el8_8 arch=x86_64 src=util-linux@2.32.1-42.el8_8 eco=Red Hat lic=BSD by=rpm pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rhel-8.8&upstream=util-linux-2.32.1-42.el8_8.src.rpm /var/lib/rpm/Packages#0",
		}, ""},
		{"berkeley db in /usr/lib/sysimage/rpm, centos", []layertest.Entry{osRelease("centos"), layertest.File("usr/lib/sysimage/rpm/Packages", bdbDB)}, 3, []string{
			"rpm openssl-libs 1:3.0.7-27.el9 arch=x86_64 src=openssl@1:3.0.7-27.el9 eco= lic=ASL 2.0 by=rpm pkg:rpm/centos/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=centos-7&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm /usr/lib/sysimage/rpm/Packages#0",
		}, ""},
		{"ndb in /usr/lib/sysimage/rpm, /var/lib/rpm a symlink", []layertest.Entry{
			osRelease("sles"),
			layertest.Symlink("var/lib/rpm", "../../usr/lib/sysimage/rpm"),
			layertest.File("usr/lib/sysimage/rpm/Packages.db", sle15),
		}, 35, []string{
			"rpm glibc 2.31-9.3.2 arch=x86_64 src=glibc@2.31-9.3.2 eco=SUSE lic=LGPL-2.1-or-later AND LGPL-2.1-or-later WITH GCC-exception-2.0 AND GPL-2.0-or-later by=rpm pkg:rpm/suse/glibc@2.31-9.3.2?arch=x86_64&distro=sles-15.3&upstream=glibc-2.31-9.3.2.src.rpm /usr/lib/sysimage/rpm/Packages.db#0",
			"rpm libgcc_s1 11.2.1+git610-1.3.9 arch=x86_64 src=gcc11@11.2.1+git610-1.3.9 eco=SUSE lic=GPL-3.0-or-later WITH GCC-exception-3.1 by=rpm pkg:rpm/suse/libgcc_s1@11.2.1%2Bgit610-1.3.9?arch=x86_64&distro=sles-15.3&upstream=gcc11-11.2.1%2Bgit610-1.3.9.src.rpm /usr/lib/sysimage/rpm/Packages.db#0",
		}, ""},
		{"ndb in /var/lib/rpm, opensuse", []layertest.Entry{osRelease("opensuse-leap"), layertest.File("var/lib/rpm/Packages.db", ndbDB)}, 3, []string{
			"rpm bash 5.1.8-9.el9 arch=x86_64 src=bash@5.1.8-9.el9 eco=openSUSE lic=GPLv3+ by=rpm pkg:rpm/opensuse/bash@5.1.8-9.el9?arch=x86_64&distro=opensuse-leap-15.5&upstream=bash-5.1.8-9.el9.src.rpm /var/lib/rpm/Packages.db#0",
		}, ""},
		{"sqlite before ndb and berkeley db", []layertest.Entry{
			osRelease("rocky"),
			layertest.File("var/lib/rpm/Packages", bdbDB),
			layertest.File("var/lib/rpm/Packages.db", ndbDB),
			layertest.File("var/lib/rpm/rpmdb.sqlite", sqliteDB),
		}, 1, []string{
			"rpm bash 5.1.8-9.el9 arch=x86_64 src=bash@5.1.8-9.el9 eco=Rocky Linux lic=GPLv3+ by=rpm pkg:rpm/rocky/bash@5.1.8-9.el9?arch=x86_64&distro=rocky-9.4&upstream=bash-5.1.8-9.el9.src.rpm /var/lib/rpm/rpmdb.sqlite#0",
		}, ""},
		{"ndb before berkeley db", []layertest.Entry{
			osRelease("rocky"),
			layertest.File("var/lib/rpm/Packages", libuuid),
			layertest.File("var/lib/rpm/Packages.db", ndbDB),
		}, 3, nil, ""},
		{"truncated ndb", []layertest.Entry{layertest.File("var/lib/rpm/Packages.db", sle15[:len(sle15)/2])}, 0, nil,
			"rpm: /var/lib/rpm/Packages.db: malformed rpm database: slot 16: blob of 342300 bytes at offset 582432 does not fit in the file (687072 bytes)"},
		{"garbage berkeley db", []layertest.Entry{layertest.File("usr/lib/sysimage/rpm/Packages", strings.Repeat("\x00", 4096))}, 0, nil,
			"rpm: /usr/lib/sysimage/rpm/Packages: malformed rpm database: not a Berkeley DB hash database: unexpected DB magic number: 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Catalog(context.Background(), imagetest.Image(t, v1.Config{}, created, layertest.Layer(t, tt.layer...)))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(s.Errors, "\n"); got != tt.errors {
				t.Errorf("errors %q, want %q", got, tt.errors)
			}
			if len(s.Packages) != tt.count {
				t.Errorf("%d packages, want %d", len(s.Packages), tt.count)
			}
			// The one layer's digest is left out of the locations.
			got := map[string]bool{}
			for _, l := range lines(s, nil) {
				got[layerDigest.ReplaceAllString(l, "")] = true
			}
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("missing %s\ngot:\n%s", w, strings.Join(lines(s, nil), "\n"))
				}
			}
		})
	}
}
