package catalog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// RPM header tags and types used here (rpmtag.h).
const (
	rpmTagName      = 1000
	rpmTagVersion   = 1001
	rpmTagRelease   = 1002
	rpmTagEpoch     = 1003
	rpmTagLicense   = 1014
	rpmTagArch      = 1022
	rpmTagSourceRPM = 1044

	rpmTypeInt32       = 4
	rpmTypeString      = 6
	rpmTypeStringArray = 8
	rpmTypeI18NString  = 9
)

// rpmHeader is the part of one package header the catalog needs.
type rpmHeader struct {
	Name, Version, Release, Arch, SourceRPM, License string
	Epoch                                            *int32
}

// rpmHeaderMagic starts a header written with its preamble; the rpmdb
// stores headers without it, but accepting both costs nothing.
var rpmHeaderMagic = []byte{0x8e, 0xad, 0xe8, 0x01}

// Bounds from rpm's headerVerify: more than this is a corrupt header.
const (
	rpmMaxTags = 0xffff
	rpmMaxData = 256 << 20
)

var errRPMHeader = errors.New("malformed rpm header")

// parseRPMHeader decodes a header blob: a count of index entries, the
// length of the data store, the index entries (tag, type, offset, count;
// big-endian) and the data store they point into. Every offset is checked,
// so a corrupt blob gives an error, never a panic.
func parseRPMHeader(b []byte) (rpmHeader, error) {
	var h rpmHeader
	if len(b) >= 8 && bytes.Equal(b[:4], rpmHeaderMagic) {
		b = b[8:]
	}
	if len(b) < 8 {
		return h, fmt.Errorf("%w: %d bytes", errRPMHeader, len(b))
	}
	il := binary.BigEndian.Uint32(b[0:4])
	dl := binary.BigEndian.Uint32(b[4:8])
	if il == 0 || il > rpmMaxTags || dl > rpmMaxData {
		return h, fmt.Errorf("%w: %d tags, %d data bytes", errRPMHeader, il, dl)
	}
	indexEnd := 8 + 16*uint64(il)
	if indexEnd+uint64(dl) > uint64(len(b)) {
		return h, fmt.Errorf("%w: %d tags and %d data bytes do not fit in %d bytes", errRPMHeader, il, dl, len(b))
	}
	data := b[indexEnd : indexEnd+uint64(dl)]
	for i := uint64(0); i < uint64(il); i++ {
		e := b[8+16*i : 8+16*(i+1)]
		tag := binary.BigEndian.Uint32(e[0:4])
		typ := binary.BigEndian.Uint32(e[4:8])
		off := binary.BigEndian.Uint32(e[8:12])
		count := binary.BigEndian.Uint32(e[12:16])
		if uint64(off) >= uint64(len(data)) {
			if isRPMTagWanted(tag) {
				return h, fmt.Errorf("%w: tag %d at offset %d past %d data bytes", errRPMHeader, tag, off, len(data))
			}
			continue
		}
		switch tag {
		case rpmTagName, rpmTagVersion, rpmTagRelease, rpmTagArch, rpmTagSourceRPM, rpmTagLicense:
			if typ != rpmTypeString && typ != rpmTypeI18NString && typ != rpmTypeStringArray {
				return h, fmt.Errorf("%w: tag %d has type %d, want a string", errRPMHeader, tag, typ)
			}
			s, err := rpmString(data, off)
			if err != nil {
				return h, fmt.Errorf("tag %d: %w", tag, err)
			}
			switch tag {
			case rpmTagName:
				h.Name = s
			case rpmTagVersion:
				h.Version = s
			case rpmTagRelease:
				h.Release = s
			case rpmTagArch:
				h.Arch = s
			case rpmTagSourceRPM:
				h.SourceRPM = s
			case rpmTagLicense:
				h.License = s
			}
		case rpmTagEpoch:
			if typ != rpmTypeInt32 || count < 1 || uint64(off)+4 > uint64(len(data)) {
				return h, fmt.Errorf("%w: bad epoch (type %d, count %d, offset %d)", errRPMHeader, typ, count, off)
			}
			v := int32(binary.BigEndian.Uint32(data[off : off+4]))
			h.Epoch = &v
		}
	}
	return h, nil
}

func isRPMTagWanted(tag uint32) bool {
	switch tag {
	case rpmTagName, rpmTagVersion, rpmTagRelease, rpmTagEpoch, rpmTagLicense, rpmTagArch, rpmTagSourceRPM:
		return true
	}
	return false
}

// rpmString reads the NUL-terminated string at off.
func rpmString(data []byte, off uint32) (string, error) {
	end := bytes.IndexByte(data[off:], 0)
	if end < 0 {
		return "", fmt.Errorf("%w: unterminated string at offset %d", errRPMHeader, off)
	}
	return string(data[off : int(off)+end]), nil
}
