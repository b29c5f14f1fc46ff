// Package config reads .fixity.yaml, the per-repository settings a team
// commits beside its infrastructure code.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"gopkg.in/yaml.v3"
)

// FileNames are the names looked for in the scanned root, in order.
var fileNames = [...]string{".fixity.yaml", ".fixity.yml"}

// Config is the content of .fixity.yaml.
type Config struct {
	// FailOn is the lowest severity that fails the run; empty means the
	// command's default.
	FailOn string `yaml:"fail-on"`
	// ExcludeRules are rule IDs whose findings are suppressed.
	ExcludeRules []string `yaml:"exclude-rules"`
	// ExcludePaths are globs, relative to the scanned root, of files not to scan.
	ExcludePaths []string `yaml:"exclude-paths"`
	// SeverityOverrides maps a rule ID to the severity this team gives it.
	SeverityOverrides Overrides `yaml:"severity-overrides"`

	// Path is the file this came from; empty when no file was found.
	Path string `yaml:"-"`
}

var ruleID = regexp.MustCompile(`^FX-[A-Z0-9]+-\d{3}$`)

// Find loads the configuration in root (a directory), if there is one.
func Find(root string) (*Config, error) {
	info, err := os.Stat(root)
	if err != nil || !info.IsDir() {
		return &Config{}, nil
	}
	for _, name := range fileNames {
		p := filepath.Join(root, name)
		if _, err := os.Stat(p); err == nil {
			return Load(p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return &Config{}, nil
}

// Load reads one configuration file. Unknown keys are errors, so that a
// misspelt setting is not silently ignored. Every error names the file and
// the line, in the words of the file rather than of Go's types.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", path, yamlMessage(err))
	}
	c := Config{Path: path}
	if len(doc.Content) > 0 {
		if err := c.decode(doc.Content[0]); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return &c, nil
}

// keys are the settings, in the order error messages list them.
var keys = []string{"fail-on", "exclude-rules", "exclude-paths", "severity-overrides"}

// decode reads the top-level mapping key by key, checking each value's
// shape and content where its line is still known.
func (c *Config) decode(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping of settings (%s)", n.Line, strings.Join(keys, ", "))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if first, ok := seen[k.Value]; ok {
			return fmt.Errorf("line %d: %s is set twice (first on line %d)", k.Line, k.Value, first)
		}
		seen[k.Value] = k.Line
		var err error
		switch k.Value {
		case "fail-on":
			c.FailOn, err = failOn(v)
		case "exclude-rules":
			c.ExcludeRules, err = stringList(k.Value, v, func(s string) error {
				if !ruleID.MatchString(s) {
					return fmt.Errorf("%q is not a rule ID (FX-<FAMILY>-<NNN>)", s)
				}
				return nil
			})
		case "exclude-paths":
			c.ExcludePaths, err = stringList(k.Value, v, nil)
		case "severity-overrides":
			err = v.Decode(&c.SeverityOverrides)
		default:
			err = fmt.Errorf("line %d: unknown key %q (want %s or %s)", k.Line, k.Value,
				strings.Join(keys[:len(keys)-1], ", "), keys[len(keys)-1])
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func failOn(v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: fail-on: want one of LOW, MEDIUM, HIGH or CRITICAL", v.Line)
	}
	if _, err := finding.ParseSeverity(v.Value); err != nil {
		return "", fmt.Errorf("line %d: fail-on: %w", v.Line, err)
	}
	return v.Value, nil
}

// stringList reads a list of strings, each checked by check when given.
func stringList(key string, v *yaml.Node, check func(string) error) ([]string, error) {
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		example := "legacy/**"
		if key == "exclude-rules" {
			example = "FX-AWS-001"
		}
		return nil, fmt.Errorf("line %d: %s: want a list, e.g. [%s]", v.Line, key, example)
	}
	out := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: %s: want a list of strings", item.Line, key)
		}
		if check != nil {
			if err := check(item.Value); err != nil {
				return nil, fmt.Errorf("line %d: %s: %w", item.Line, key, err)
			}
		}
		out = append(out, item.Value)
	}
	return out, nil
}

// yamlMessage makes yaml.v3's "yaml: line 3: ..." read as "line 3: ...",
// since the caller already names the file.
func yamlMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// Overrides maps rule IDs to severities. It decodes itself so that a bad
// severity is reported with its line.
type Overrides map[string]finding.Severity

func (o *Overrides) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: severity-overrides must map rule IDs to severities", n.Line)
	}
	m := make(Overrides, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !ruleID.MatchString(k.Value) {
			return fmt.Errorf("line %d: severity-overrides: %q is not a rule ID (FX-<FAMILY>-<NNN>)", k.Line, k.Value)
		}
		sev, err := finding.ParseSeverity(v.Value)
		if err != nil {
			return fmt.Errorf("line %d: %s: %w", v.Line, k.Value, err)
		}
		m[k.Value] = sev
	}
	*o = m
	return nil
}
