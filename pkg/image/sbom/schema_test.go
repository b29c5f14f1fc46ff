package sbom

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestCycloneDXSchema validates the golden documents against the CycloneDX
// JSON schema shipped in the cyclonedx-go module.
func TestCycloneDXSchema(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain to locate the schema")
	}
	out, err := exec.Command(goTool, "list", "-m", "-f", "{{.Dir}}", "github.com/CycloneDX/cyclonedx-go").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Skipf("cyclonedx-go module not found: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "schema")
	c := jsonschema.NewCompiler()
	const base = "http://cyclonedx.org/schema/"
	for file, id := range map[string]string{
		"bom-1.6.schema.json":   "bom-1.6.schema.json",
		"spdx.schema.json":      "spdx.schema.json",
		"jsf-0.82.schemax.json": "jsf-0.82.schema.json",
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Skipf("schema not available: %v", err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(base+id, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile(base + "bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	goldens, _ := filepath.Glob(filepath.Join("testdata", "*.cdx.json"))
	if len(goldens) == 0 {
		t.Fatal("no golden CycloneDX documents")
	}
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: %v", g, err)
		}
	}
}
