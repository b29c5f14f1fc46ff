// Package osv reads OSV records (ossf.github.io/osv-schema) and decides
// whether a package version is affected by one, following the schema's
// range evaluation rules.
package osv

import (
	"fmt"
	"strings"

	"github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"
)

// Record is one OSV vulnerability record, in the schema's own Go binding so
// that the field set follows the published schema.
type Record = osvschema.Vulnerability

// unmarshal tolerates fields and enum values newer than the binding: a
// database may add them at any time, and a record we cannot fully read is
// still worth matching on the fields we can.
var unmarshal = protojson.UnmarshalOptions{DiscardUnknown: true}

// Parse decodes one OSV JSON record. A record without an id is rejected:
// nothing could refer to it.
func Parse(data []byte) (*Record, error) {
	rec := new(Record)
	if err := unmarshal.Unmarshal(data, rec); err != nil {
		return nil, fmt.Errorf("osv: %w", err)
	}
	if strings.TrimSpace(rec.GetId()) == "" {
		return nil, fmt.Errorf("osv: record has no id")
	}
	return rec, nil
}

// Withdrawn reports whether the record has been withdrawn by its database.
func Withdrawn(rec *Record) bool { return rec.GetWithdrawn() != nil }
