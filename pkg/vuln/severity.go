package vuln

import (
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/vuln/osv"
	"github.com/fixity-sec/fixity/pkg/vuln/version"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
	cvss30 "github.com/pandatix/go-cvss/30"
	cvss31 "github.com/pandatix/go-cvss/31"
	cvss40 "github.com/pandatix/go-cvss/40"
)

// Severity rates rec for package pkg of eco. A CVSS score wins when there is
// one: the package's own severity entries first (affected[].severity), else
// the record's; among several, the highest score, so that a record rated by
// two versions of CVSS is not understated. OSV gives CVSS as vectors, so the
// base score is computed from the vector. Without CVSS it falls back to
// database_specific.severity (GitHub's LOW/MODERATE/HIGH/CRITICAL) and to
// Ubuntu's priority words.
func Severity(rec *osv.Record, eco version.Ecosystem, pkg string) finding.Severity {
	var own []*osvschema.Severity
	var dbOwn string
	for _, a := range rec.GetAffected() {
		p := a.GetPackage()
		if p.GetName() == pkg && (version.Ecosystem(p.GetEcosystem()) == eco || version.Ecosystem(p.GetEcosystem()).Base() == eco) {
			own = append(own, a.GetSeverity()...)
			if dbOwn == "" {
				dbOwn = a.GetDatabaseSpecific().GetFields()["severity"].GetStringValue()
			}
		}
	}
	for _, list := range [][]*osvschema.Severity{own, rec.GetSeverity()} {
		if s := fromCVSS(list); s != finding.Unknown {
			return s
		}
	}
	for _, word := range []string{dbOwn, rec.GetDatabaseSpecific().GetFields()["severity"].GetStringValue()} {
		if s := fromWord(word); s != finding.Unknown {
			return s
		}
	}
	for _, list := range [][]*osvschema.Severity{own, rec.GetSeverity()} {
		for _, sv := range list {
			if sv.GetType() == osvschema.Severity_Ubuntu {
				if s := fromWord(sv.GetScore()); s != finding.Unknown {
					return s
				}
			}
		}
	}
	return finding.Unknown
}

func fromCVSS(list []*osvschema.Severity) finding.Severity {
	best := -1.0
	for _, sv := range list {
		var score float64
		var ok bool
		switch sv.GetType() {
		case osvschema.Severity_CVSS_V3, osvschema.Severity_CVSS_V4:
			score, ok = cvssScore(sv.GetScore())
		}
		if ok && score > best {
			best = score
		}
	}
	return band(best)
}

// cvssScore reads a CVSS v3.0/v3.1/v4.0 vector, or a bare number.
func cvssScore(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f <= 10 {
		return f, true
	}
	switch {
	case strings.HasPrefix(s, "CVSS:3.1/"):
		if v, err := cvss31.ParseVector(s); err == nil {
			return v.BaseScore(), true
		}
	case strings.HasPrefix(s, "CVSS:3.0/"):
		if v, err := cvss30.ParseVector(s); err == nil {
			return v.BaseScore(), true
		}
	case strings.HasPrefix(s, "CVSS:4.0/"):
		if v, err := cvss40.ParseVector(s); err == nil {
			return v.Score(), true
		}
	}
	return 0, false
}

// band maps a CVSS score to its qualitative rating (CVSS v3.1 and v4.0
// specifications: 0.1-3.9 Low, 4.0-6.9 Medium, 7.0-8.9 High, 9.0-10.0
// Critical). 0.0 is "None", which has no counterpart and stays Unknown.
func band(score float64) finding.Severity {
	switch {
	case score >= 9.0:
		return finding.Critical
	case score >= 7.0:
		return finding.High
	case score >= 4.0:
		return finding.Medium
	case score > 0:
		return finding.Low
	}
	return finding.Unknown
}

func fromWord(s string) finding.Severity {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "CRITICAL":
		return finding.Critical
	case "HIGH", "IMPORTANT":
		return finding.High
	case "MODERATE", "MEDIUM":
		return finding.Medium
	case "LOW", "NEGLIGIBLE":
		return finding.Low
	}
	return finding.Unknown
}
