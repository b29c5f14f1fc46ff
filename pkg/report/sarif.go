package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/fixity-sec/fixity/pkg/finding"
)

// SARIF writes SARIF 2.1.0 as GitHub code scanning reads it: every rule
// that ran, with a security-severity GitHub sorts alerts by; one result per
// finding with a fingerprint that survives the finding moving lines; and
// suppressed findings marked as suppressed rather than left out.
//
// The SARIF types below are the small subset fixity writes, declared here
// rather than taken from a SARIF library: the output then depends on this
// file alone, so the golden files only change when we change it.
type SARIF struct {
	Options
}

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	toolURI      = "https://github.com/fixity-sec/fixity"
	// srcRoot is the base the relative artifact URIs hang from; GitHub
	// resolves it to the checkout.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names fixity's partial fingerprint. The version lets
	// the hash change one day without colliding with the old alerts.
	fingerprintKey = "fixity/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name,omitempty"`
	ShortDescription     sarifText           `json:"shortDescription"`
	FullDescription      *sarifText          `json:"fullDescription,omitempty"`
	Help                 *sarifHelp          `json:"help,omitempty"`
	HelpURI              string              `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	SecuritySeverity string   `json:"security-severity,omitempty"`
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation  `json:"physicalLocation"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
	EndLine   int `json:"endLine"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

func (s SARIF) Write(w io.Writer, r *finding.Report) error {
	if r == nil {
		return errNilReport
	}
	n := normalize(r)
	sarifPaths(&n, s.SourcePrefix)
	rules := reportRules(n)
	index := make(map[string]int, len(rules))
	for i, rule := range rules {
		index[rule.ID] = i
	}

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           n.Tool.Name,
			Version:        n.Tool.Version,
			InformationURI: toolURI,
			Rules:          make([]sarifRule, 0, len(rules)),
		}},
		Invocations: []sarifInvocation{{
			// The run finished: files that could not be parsed are
			// reported below, they do not make the analysis a failure.
			ExecutionSuccessful:        true,
			ToolExecutionNotifications: sarifNotifications(n),
		}},
		Results: make([]sarifResult, 0, len(n.Findings)),
	}
	for _, rule := range rules {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(rule))
	}
	for _, f := range n.Findings {
		run.Results = append(run.Results, sarifResultOf(f, index[f.RuleID]))
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return err
	}
	return flush(w, &buf)
}

// reportRules is every rule in the report, by ID, plus a rule made from the
// findings of any rule ID the report does not describe, so that every
// result's ruleIndex points at a rule.
func reportRules(r finding.Report) []finding.Rule {
	rules := append([]finding.Rule(nil), r.Rules...)
	known := make(map[string]bool, len(rules))
	for _, rule := range rules {
		known[rule.ID] = true
	}
	for _, f := range r.Findings {
		if known[f.RuleID] {
			continue
		}
		known[f.RuleID] = true
		rules = append(rules, finding.Rule{
			ID:          f.RuleID,
			Severity:    f.Severity,
			Title:       f.Title,
			Remediation: f.Remediation,
			References:  f.References,
		})
	}
	return sortedRules(rules)
}

func sarifRuleOf(rule finding.Rule) sarifRule {
	title := rule.Title
	if title == "" {
		title = rule.ID
	}
	out := sarifRule{
		ID:                   rule.ID,
		Name:                 camelName(rule.Title),
		ShortDescription:     sarifText{Text: title},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(rule.Severity)},
		Properties: sarifRuleProperties{
			SecuritySeverity: securitySeverity(rule.Severity),
			Tags:             ruleTags(rule),
			Precision:        "high",
		},
	}
	if rule.Description != "" {
		out.FullDescription = &sarifText{Text: rule.Description}
	}
	if text, md := ruleHelp(rule); text != "" {
		out.Help = &sarifHelp{Text: text, Markdown: md}
	}
	if len(rule.References) > 0 {
		out.HelpURI = rule.References[0]
	}
	return out
}

// ruleHelp is the rule's description, remediation and references, as plain
// text and as Markdown; GitHub shows the Markdown beside each alert.
func ruleHelp(rule finding.Rule) (text, markdown string) {
	var t, m []string
	if rule.Description != "" {
		t = append(t, rule.Description)
		m = append(m, rule.Description)
	}
	if rule.Remediation != "" {
		t = append(t, "Remediation: "+rule.Remediation)
		m = append(m, "**Remediation:** "+rule.Remediation)
	}
	if len(rule.References) > 0 {
		tl := []string{"References:"}
		ml := []string{"**References:**", ""}
		for _, ref := range rule.References {
			tl = append(tl, "- "+ref)
			ml = append(ml, "- <"+ref+">")
		}
		t = append(t, strings.Join(tl, "\n"))
		m = append(m, strings.Join(ml, "\n"))
	}
	return strings.Join(t, "\n\n"), strings.Join(m, "\n\n")
}

// ruleTags are "security" (GitHub files the alerts under security only with
// it), the rule family from the ID (FX-AWS-001 -> aws) and the severity.
func ruleTags(rule finding.Rule) []string {
	tags := []string{"security"}
	if parts := strings.Split(rule.ID, "-"); len(parts) == 3 && parts[1] != "" {
		tags = append(tags, strings.ToLower(parts[1]))
	}
	if rule.Severity != finding.Unknown {
		tags = append(tags, strings.ToLower(rule.Severity.String()))
	}
	return tags
}

// camelName turns a title into a SARIF rule name:
// "S3 bucket has no versioning" -> "S3BucketHasNoVersioning".
func camelName(title string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		rs := []rune(word)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	return b.String()
}

// sarifLevel maps a severity to the three SARIF levels: what should fail a
// build is an error, what deserves a look a warning, the rest a note.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return "error"
	case finding.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the score GitHub turns back into a severity label:
// above 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, below 4.0 low.
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return "9.5"
	case finding.High:
		return "8.0"
	case finding.Medium:
		return "5.5"
	case finding.Low:
		return "3.0"
	}
	return ""
}

func sarifResultOf(f finding.Finding, ruleIndex int) sarifResult {
	loc := sarifLocationOf(f.File, f.Line, f.EndLine)
	if f.Resource != "" {
		loc.LogicalLocations = []sarifLogicalLocation{{FullyQualifiedName: f.Resource, Kind: "resource"}}
	}
	res := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: resultMessage(f)},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{fingerprintKey: fingerprint(f)},
	}
	if f.Suppressed {
		res.Suppressions = []sarifSuppression{{Kind: "inSource", Justification: f.SuppressionReason}}
	}
	return res
}

// resultMessage names the resource, since code scanning shows the message
// and not the logical location.
func resultMessage(f finding.Finding) string {
	msg := f.Message
	if msg == "" {
		msg = f.Title
	}
	if f.Resource != "" && !strings.Contains(msg, f.Resource) {
		msg = f.Resource + ": " + msg
	}
	return msg
}

// fingerprint identifies a finding without its line numbers, so that an
// alert stays the same alert when code above it moves.
func fingerprint(f finding.Finding) string {
	h := sha256.New()
	for _, part := range []string{f.RuleID, f.File, f.Resource, f.Message} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sarifPaths makes n's file paths what code scanning can place, on
// normalize's copies: relative paths get prefix (the scanned directory seen
// from the repository root); absolute paths, the files inside an image,
// become relative to the image root, as other image scanners write them;
// and a finding with no file, about the image's configuration, is placed
// on the image itself, since every SARIF result needs a location.
func sarifPaths(n *finding.Report, prefix string) {
	fix := func(file string) string {
		switch {
		case file == "":
			return ""
		case strings.HasPrefix(file, "/"):
			return strings.TrimLeft(file, "/")
		case prefix != "":
			return path.Join(prefix, file)
		}
		return file
	}
	for i := range n.Findings {
		f := &n.Findings[i]
		if f.File == "" {
			f.File = strings.TrimLeft(n.Target, "/")
		} else {
			f.File = fix(f.File)
		}
	}
	for i := range n.Errors {
		n.Errors[i].File = fix(n.Errors[i].File)
	}
	for i := range n.Notes {
		n.Notes[i].File = fix(n.Notes[i].File)
	}
}

// sarifLocationOf points at file, lines start to end. SARIF lines start at
// 1, so a finding about a whole file points at its first line.
func sarifLocationOf(file string, start, end int) sarifLocation {
	start = max(start, 1)
	end = max(end, start)
	return sarifLocation{PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: sarifArtifactLocation{URI: artifactURI(file), URIBaseID: srcRoot},
		Region:           &sarifRegion{StartLine: start, EndLine: end},
	}}
}

// artifactURI makes a relative path a relative URI reference: forward
// slashes, no leading ./, and characters such as spaces escaped.
func artifactURI(file string) string {
	p := strings.TrimPrefix(strings.ReplaceAll(file, `\`, "/"), "./")
	u := (&url.URL{Path: p}).EscapedPath()
	// "c:d.tf" would read as a URI with scheme c.
	if first, _, _ := strings.Cut(u, "/"); strings.Contains(first, ":") {
		u = "./" + u
	}
	return u
}

// sarifNotifications turns errors into error notifications and notes into
// note notifications of the run's invocation.
func sarifNotifications(r finding.Report) []sarifNotification {
	var out []sarifNotification
	for _, e := range r.Errors {
		n := sarifNotification{Level: "error", Message: sarifText{Text: e.Message}}
		if e.File != "" {
			n.Locations = []sarifLocation{sarifLocationOf(e.File, e.Line, e.Line)}
		}
		out = append(out, n)
	}
	for _, note := range r.Notes {
		n := sarifNotification{Level: "note", Message: sarifText{Text: note.Message}}
		if note.File != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: artifactURI(note.File), URIBaseID: srcRoot},
			}}}
		}
		out = append(out, n)
	}
	return out
}
