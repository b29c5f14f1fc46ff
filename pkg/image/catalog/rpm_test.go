package catalog

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// rpmHeaderBlob encodes h the way rpm stores a header in rpmdb.sqlite:
// index count, data length, index entries, data store. Strings come first,
// then the epoch, aligned to 4 bytes as rpm aligns INT32 data.
func rpmHeaderBlob(h rpmHeader) []byte {
	type ent struct {
		tag, typ uint32
		val      []byte
	}
	var ents []ent
	for _, s := range []struct {
		tag uint32
		v   string
	}{{rpmTagName, h.Name}, {rpmTagVersion, h.Version}, {rpmTagRelease, h.Release},
		{rpmTagLicense, h.License}, {rpmTagArch, h.Arch}, {rpmTagSourceRPM, h.SourceRPM}} {
		if s.v != "" {
			ents = append(ents, ent{s.tag, rpmTypeString, append([]byte(s.v), 0)})
		}
	}
	if h.Epoch != nil {
		ents = append(ents, ent{rpmTagEpoch, rpmTypeInt32, binary.BigEndian.AppendUint32(nil, uint32(*h.Epoch))})
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].tag < ents[j].tag })
	var index, data []byte
	for _, e := range ents {
		if e.typ == rpmTypeInt32 {
			for len(data)%4 != 0 {
				data = append(data, 0)
			}
		}
		index = binary.BigEndian.AppendUint32(index, e.tag)
		index = binary.BigEndian.AppendUint32(index, e.typ)
		index = binary.BigEndian.AppendUint32(index, uint32(len(data)))
		index = binary.BigEndian.AppendUint32(index, 1)
		data = append(data, e.val...)
	}
	out := binary.BigEndian.AppendUint32(nil, uint32(len(ents)))
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	return append(append(out, index...), data...)
}

func epoch(n int32) *int32 { return &n }

var testRPMs = []rpmHeader{
	{Name: "openssl-libs", Version: "3.0.7", Release: "27.el9", Epoch: epoch(1), Arch: "x86_64",
		SourceRPM: "openssl-3.0.7-27.el9.src.rpm", License: "ASL 2.0"},
	{Name: "bash", Version: "5.1.8", Release: "9.el9", Arch: "x86_64", SourceRPM: "bash-5.1.8-9.el9.src.rpm", License: "GPLv3+"},
	{Name: "gpg-pubkey", Version: "350d275d", Release: "6395ed13"},
	{Name: "tzdata", Version: "2024a", Release: "1.el9", Arch: "noarch", SourceRPM: "tzdata-2024a-1.el9.src.rpm"},
}

// writeRPMDB writes an rpmdb.sqlite holding the given header blobs, with
// the schema rpm creates.
func writeRPMDB(t testing.TB, blobs ...[]byte) []byte {
	t.Helper()
	f := filepath.Join(t.TempDir(), "rpmdb.sqlite")
	db, err := sql.Open("sqlite", f)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, b := range blobs {
		if _, err := db.Exec(`INSERT INTO Packages (blob) VALUES (?)`, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRPMHeader(t *testing.T) {
	good := rpmHeaderBlob(testRPMs[0])
	tests := []struct {
		name    string
		blob    []byte
		want    rpmHeader
		wantErr bool
	}{
		{"full", good, testRPMs[0], false},
		{"no epoch", rpmHeaderBlob(testRPMs[1]), testRPMs[1], false},
		{"with preamble", append([]byte{0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0}, good...), testRPMs[0], false},
		{"empty", nil, rpmHeader{}, true},
		{"truncated", good[:len(good)-3], rpmHeader{}, true},
		{"huge count", []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, rpmHeader{}, true},
		{"unterminated string", []byte{0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 3, 232, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 'b'}, rpmHeader{}, true},
		{"offset past data", []byte{0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 3, 232, 0, 0, 0, 6, 0, 0, 0, 9, 0, 0, 0, 1, 'a', 0}, rpmHeader{}, true},
		{"epoch not int", []byte{0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 3, 235, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 0}, rpmHeader{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRPMHeader(tt.blob)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// testRPMBlobs are the header blobs of testRPMs and a corrupt one.
func testRPMBlobs() [][]byte {
	var blobs [][]byte
	for _, h := range testRPMs {
		blobs = append(blobs, rpmHeaderBlob(h))
	}
	return append(blobs, []byte("corrupt"))
}

var rocky = OSInfo{ID: "rocky", VersionID: "9.4"}

// wantTestRPMs are the packages of testRPMs read from file on Rocky Linux:
// gpg-pubkey skipped.
func wantTestRPMs(file string) []Package {
	loc := []Location{{Path: file}}
	return []Package{
		{Name: "openssl-libs", Version: "1:3.0.7-27.el9", Type: TypeRPM, Ecosystem: "Rocky Linux", Arch: "x86_64",
			SourceName: "openssl", SourceVersion: "1:3.0.7-27.el9", License: "ASL 2.0", Locations: loc,
			PURL: "pkg:rpm/rocky/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rocky-9.4&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm"},
		{Name: "bash", Version: "5.1.8-9.el9", Type: TypeRPM, Ecosystem: "Rocky Linux", Arch: "x86_64",
			SourceName: "bash", SourceVersion: "5.1.8-9.el9", License: "GPLv3+", Locations: loc,
			PURL: "pkg:rpm/rocky/bash@5.1.8-9.el9?arch=x86_64&distro=rocky-9.4&upstream=bash-5.1.8-9.el9.src.rpm"},
		{Name: "tzdata", Version: "2024a-1.el9", Type: TypeRPM, Ecosystem: "Rocky Linux", Arch: "noarch",
			SourceName: "tzdata", SourceVersion: "2024a-1.el9", Locations: loc,
			PURL: "pkg:rpm/rocky/tzdata@2024a-1.el9?arch=noarch&distro=rocky-9.4&upstream=tzdata-2024a-1.el9.src.rpm"},
	}
}

func TestReadRPMSQLite(t *testing.T) {
	const file = "/var/lib/rpm/rpmdb.sqlite"
	got, err := ReadRPMSQLite(context.Background(), file, writeRPMDB(t, testRPMBlobs()...), rocky)
	if want := wantTestRPMs(file); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", dump(got), dump(want))
	}
	if err == nil || !errors.Is(err, errRPMHeader) || !strings.HasPrefix(err.Error(), file+": package 5: ") {
		t.Errorf("err = %v, want the corrupt header reported", err)
	}

	if _, err := ReadRPMSQLite(context.Background(), "x", []byte("not sqlite"), rocky); err == nil {
		t.Error("no error for a file that is not a database")
	}
}

func TestSplitSourceRPM(t *testing.T) {
	tests := []struct{ in, name, vr string }{
		{"openssl-3.0.7-27.el9.src.rpm", "openssl", "3.0.7-27.el9"},
		{"python3-pip-21.3.1-1.el9.nosrc.rpm", "python3-pip", "21.3.1-1.el9"},
		{"bad.src.rpm", "", ""},
		{"foo-1.0-1.x86_64.rpm", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		n, vr, ok := splitSourceRPM(tt.in)
		if n != tt.name || vr != tt.vr || ok != (tt.name != "") {
			t.Errorf("splitSourceRPM(%q) = %q, %q, %v", tt.in, n, vr, ok)
		}
	}
}
