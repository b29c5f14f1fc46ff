package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/fixity-sec/fixity/pkg/finding"
)

// JSON writes the versioned report contract (schema fixity.report/v1),
// indented by two spaces and ending in a newline.
type JSON struct{}

// plainReport is finding.Report without its MarshalJSON method, so that the
// encoder below can indent it and leave <, > and & readable in messages
// (json.Marshal, which MarshalJSON uses, would turn them into \u003c...).
// normalize already does the one thing MarshalJSON adds: findings and errors
// are never nil, so they print as [].
type plainReport finding.Report

func (JSON) Write(w io.Writer, r *finding.Report) error {
	if r == nil {
		return errNilReport
	}
	n := normalize(r)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(plainReport(n)); err != nil {
		return err
	}
	return flush(w, &buf)
}
