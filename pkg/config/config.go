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
// misspelt setting is not silently ignored.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %s", path, yamlMessage(err))
	}
	c.Path = path
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

func (c *Config) validate() error {
	if c.FailOn != "" {
		if _, err := finding.ParseSeverity(c.FailOn); err != nil {
			return fmt.Errorf("fail-on: %w", err)
		}
	}
	for _, id := range c.ExcludeRules {
		if !ruleID.MatchString(id) {
			return fmt.Errorf("exclude-rules: %q is not a rule ID (FX-<FAMILY>-<NNN>)", id)
		}
	}
	for id := range c.SeverityOverrides {
		if !ruleID.MatchString(id) {
			return fmt.Errorf("severity-overrides: %q is not a rule ID (FX-<FAMILY>-<NNN>)", id)
		}
	}
	return nil
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
		sev, err := finding.ParseSeverity(v.Value)
		if err != nil {
			return fmt.Errorf("line %d: %s: %w", v.Line, k.Value, err)
		}
		m[k.Value] = sev
	}
	*o = m
	return nil
}
