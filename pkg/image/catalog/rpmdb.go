package catalog

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	// Only these subpackages of go-rpmdb: its root package imports a second
	// SQLite driver registered as "sqlite" (see DEPENDENCIES.md).
	"github.com/knqyf263/go-rpmdb/pkg/bdb"
	dbi "github.com/knqyf263/go-rpmdb/pkg/db"
	"github.com/knqyf263/go-rpmdb/pkg/ndb"
)

// The Berkeley DB and NDB databases are read with go-rpmdb, which Trivy and
// other scanners use. Its readers take a path and walk the file in a
// goroutine of their own, trusting every offset, length and page number in
// it: on a malformed file they index out of range (a panic in their
// goroutine, which no recover here can catch, ends the process), loop
// forever on a bad overflow chain, allocate whatever length a blob header
// claims, or print to standard output. So each file is first checked by
// checkBerkeleyDB or checkNDB, which follow the same structures with every
// bound checked and refuse the file unless go-rpmdb can read it safely.

// errRPMDB reports a malformed Berkeley DB or NDB rpm database.
var errRPMDB = errors.New("malformed rpm database")

// ReadRPMBerkeleyDB reads the packages of a Berkeley DB rpm database
// (/var/lib/rpm/Packages) given as bytes.
func ReadRPMBerkeleyDB(ctx context.Context, name string, db []byte, osInfo OSInfo) ([]Package, error) {
	if err := checkBerkeleyDB(db); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return readRPMDBFile(ctx, name, "Packages", db, osInfo, func(path string) (dbi.RpmDBInterface, error) {
		return bdb.Open(path)
	})
}

// ReadRPMNDB reads the packages of an NDB rpm database (SUSE's Packages.db)
// given as bytes.
func ReadRPMNDB(ctx context.Context, name string, db []byte, osInfo OSInfo) ([]Package, error) {
	if err := checkNDB(db); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return readRPMDBFile(ctx, name, "Packages.db", db, osInfo, func(path string) (dbi.RpmDBInterface, error) {
		return ndb.Open(path)
	})
}

// readRPMDBFile writes db to a temporary file, opens it with open and reads
// its packages.
func readRPMDBFile(ctx context.Context, name, base string, db []byte, osInfo OSInfo, open func(string) (dbi.RpmDBInterface, error)) ([]Package, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var pkgs []Package
	err := withTempFile(base, db, func(path string) error {
		d, err := open(path)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		pkgs, err = readRPMEntries(ctx, name, d, osInfo)
		return err
	})
	return pkgs, err
}

// readRPMEntries collects the packages of an open go-rpmdb database and
// closes it. Its Read starts a goroutine that sends each header blob on an
// unbuffered channel and closes the channel at the end or after the first
// I/O error. On an early return (cancellation) that goroutine is blocked on
// a send or still reading: closing the database makes its next read fail,
// after which it sends an error or two and exits, and draining the channel
// lets it. Without both it would stay blocked for the life of the process.
func readRPMEntries(ctx context.Context, name string, db dbi.RpmDBInterface, osInfo OSInfo) ([]Package, error) {
	entries := db.Read()
	defer func() {
		_ = db.Close() // read-only: nothing to flush
		for range entries {
		}
	}()
	var pkgs []Package
	var errs []error
	for n := 0; ; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var e dbi.Entry
		var ok bool
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case e, ok = <-entries:
		}
		if !ok {
			break
		}
		if e.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, e.Err))
			continue
		}
		n++ // the nth header blob, for errors
		p, ok, err := rpmFromHeader(e.Value, name, osInfo)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: package %d: %w", name, n, err))
		} else if ok {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs, errors.Join(errs...)
}

// Berkeley DB hash file layout (libdb src/dbinc/db_page.h): fixed-size
// pages, page 0 the metadata. Hash pages start with a 26-byte header, then
// an array of 2-byte in-page offsets of their items, keys and values
// alternating. rpm's values, the header blobs, are too large for a page:
// the item is a 12-byte HOFFPAGE (type, 3 unused bytes, first page, total
// length) naming a chain of overflow pages, each with the 26-byte header
// (the next page in the chain; on the last, the bytes used) and data.
const (
	bdbMetadataSize = 512 // what bdb.Open reads to parse the metadata
	bdbMinPageSize  = 512
	bdbMaxPageSize  = 64 << 10
)

// checkBerkeleyDB verifies everything go-rpmdb's bdb reader relies on: the
// metadata it parses, every hash page up to the last page the metadata
// names, the item offsets on them, and each value's overflow chain: pages
// inside the file, of the overflow type (another type makes bdb loop
// forever), used by one value only (a cycle, or chains sharing pages, would
// loop or multiply the bytes read), with in-page lengths. bdb does some of
// its slicing with 16-bit sums, so every in-page end is also kept below
// 65536 to rule out a wrap.
func checkBerkeleyDB(b []byte) error {
	if len(b) == 0 {
		return fmt.Errorf("%w: empty file", errRPMDB)
	}
	meta := make([]byte, bdbMetadataSize)
	copy(meta, b)
	m, err := bdb.ParseHashMetadataPage(meta)
	if err != nil {
		return fmt.Errorf("%w: not a Berkeley DB hash database: %v", errRPMDB, err)
	}
	ps := uint64(m.PageSize)
	if ps < bdbMinPageSize || ps > bdbMaxPageSize || ps&(ps-1) != 0 {
		return fmt.Errorf("%w: page size %d", errRPMDB, ps)
	}
	pages := uint64(len(b)) / ps
	if uint64(m.LastPageNo) >= pages {
		return fmt.Errorf("%w: truncated: last page %d, but the file holds %d pages of %d bytes", errRPMDB, m.LastPageNo, pages, ps)
	}
	// In-page ends are bounded by the page and by bdb's 16-bit arithmetic.
	pageEnd := int(min(ps, 0xffff))
	order := binary.ByteOrder(binary.LittleEndian)
	if m.Swapped {
		order = binary.BigEndian
	}
	inChain := make([]bool, pages)
	for p := uint64(1); p <= uint64(m.LastPageNo); p++ {
		page := b[p*ps : (p+1)*ps]
		h, err := bdb.ParseHashPage(page, m.Swapped)
		if err != nil {
			return fmt.Errorf("%w: page %d: %v", errRPMDB, p, err)
		}
		if h.PageType != bdb.HashUnsortedPageType && h.PageType != bdb.HashPageType {
			continue
		}
		n := int(h.NumEntries)
		if n%2 != 0 || bdb.PageHeaderSize+2*n > pageEnd {
			return fmt.Errorf("%w: page %d: bad item count %d", errRPMDB, p, n)
		}
		// Items alternate key, value; only values are read.
		for i := 1; i < n; i += 2 {
			off := int(order.Uint16(page[bdb.PageHeaderSize+2*i:]))
			if off >= len(page) {
				return fmt.Errorf("%w: page %d: item %d at offset %d outside the page", errRPMDB, p, i, off)
			}
			if page[off] != bdb.HashOffIndexPageType {
				continue
			}
			if off+bdb.HashOffPageSize > pageEnd {
				return fmt.Errorf("%w: page %d: item %d at offset %d runs past the page", errRPMDB, p, i, off)
			}
			e, err := bdb.ParseHashOffPageEntry(page[off:off+bdb.HashOffPageSize], m.Swapped)
			if err != nil {
				return fmt.Errorf("%w: page %d: item %d: %v", errRPMDB, p, i, err)
			}
			if err := checkBDBChain(b, ps, e.PageNo, m.Swapped, pageEnd, inChain); err != nil {
				return fmt.Errorf("%w: page %d: item %d: %v", errRPMDB, p, i, err)
			}
		}
	}
	return nil
}

// checkBDBChain follows one overflow chain from page first, marking its
// pages in inChain.
func checkBDBChain(b []byte, ps uint64, first uint32, swapped bool, pageEnd int, inChain []bool) error {
	for cur := uint64(first); cur != 0; {
		// bdb computes the page's offset as a 32-bit product.
		if cur >= uint64(len(inChain)) || cur*ps > 0xffffffff {
			return fmt.Errorf("overflow page %d outside the file", cur)
		}
		if inChain[cur] {
			return fmt.Errorf("overflow page %d used twice", cur)
		}
		inChain[cur] = true
		h, err := bdb.ParseHashPage(b[cur*ps:(cur+1)*ps], swapped)
		if err != nil {
			return fmt.Errorf("overflow page %d: %v", cur, err)
		}
		if h.PageType != bdb.OverflowPageType {
			return fmt.Errorf("page %d in an overflow chain has type %d", cur, h.PageType)
		}
		if h.NextPageNo == 0 && bdb.PageHeaderSize+int(h.FreeAreaOffset) > pageEnd {
			return fmt.Errorf("overflow page %d: %d bytes do not fit", cur, h.FreeAreaOffset)
		}
		cur = uint64(h.NextPageNo)
	}
	return nil
}

// NDB layout (rpm lib/backend/ndb/rpmpkg.c), little-endian: a 32-byte
// header ("RpmP", version, generation, number of slot pages, reserved);
// slot pages of 4096 bytes holding 16-byte slots ("Slot", package index,
// block offset, block count), the header taking the first two; and each
// package's blob at 16 × its block offset: a 16-byte header ("BlbS",
// package index, checksum, length) and the header blob.
const (
	ndbHeaderSize     = 32
	ndbSlotPageSize   = 4096
	ndbSlotSize       = 16
	ndbBlockSize      = 16
	ndbBlobHeaderSize = 16
	ndbMaxSlotPages   = 2048 // ndb.Open's own limit
	ndbSlotMagic      = 'S' | 'l'<<8 | 'o'<<16 | 't'<<24
)

// checkNDB verifies everything go-rpmdb's ndb reader relies on: the header,
// that the slot pages are in the file, that every slot has its magic (ndb
// prints a bad one to standard output), and that each package's blob lies
// inside the file (ndb allocates the length the blob header claims before
// reading). Blobs may not add up to more than the file, as they would if
// slots shared one: the bytes read stay bounded by the file's size.
func checkNDB(b []byte) error {
	le := binary.LittleEndian
	if len(b) < ndbHeaderSize || le.Uint32(b) != ndb.NDB_HeaderMagic {
		return fmt.Errorf("%w: not an NDB database", errRPMDB)
	}
	if v := le.Uint32(b[4:]); v != ndb.NDB_DBVersion {
		return fmt.Errorf("%w: NDB version %d", errRPMDB, v)
	}
	npages := uint64(le.Uint32(b[12:]))
	if npages == 0 || npages > ndbMaxSlotPages {
		return fmt.Errorf("%w: %d slot pages", errRPMDB, npages)
	}
	size := uint64(len(b))
	slotsEnd := npages * ndbSlotPageSize
	if slotsEnd > size {
		return fmt.Errorf("%w: truncated: %d slot pages, %d bytes", errRPMDB, npages, size)
	}
	var total uint64
	for off := uint64(ndbHeaderSize); off < slotsEnd; off += ndbSlotSize {
		slot := (off - ndbHeaderSize) / ndbSlotSize
		if le.Uint32(b[off:]) != ndbSlotMagic {
			return fmt.Errorf("%w: slot %d: bad magic", errRPMDB, slot)
		}
		if le.Uint32(b[off+4:]) == 0 { // free slot
			continue
		}
		blob := uint64(le.Uint32(b[off+8:])) * ndbBlockSize
		if blob+ndbBlobHeaderSize > size {
			return fmt.Errorf("%w: slot %d: blob at offset %d past the end of the file (%d bytes)", errRPMDB, slot, blob, size)
		}
		n := uint64(le.Uint32(b[blob+12:]))
		total += n
		if blob+ndbBlobHeaderSize+n > size || total > size {
			return fmt.Errorf("%w: slot %d: blob of %d bytes at offset %d does not fit in the file (%d bytes)", errRPMDB, slot, n, blob, size)
		}
	}
	return nil
}
