package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/walk"
)

// resolveModule finds the configuration a module call refers to: a local
// directory, or for any other source the copy terraform init downloaded
// (listed in .terraform/modules/modules.json of the root module). It
// returns nil, after a note or an error, when there is nothing to
// evaluate.
func (s *scope) resolveModule(c *call) *module {
	r := s.r
	if c.source == "" {
		return nil
	}
	key := c.name
	if s.key != "" {
		key = s.key + "." + c.name
	}
	var dir string
	if isLocalSource(c.source) {
		dir = moduleDir(s.mod.dir, c.source)
	} else {
		dir = r.manifestDir(key)
		if dir == "" {
			r.out.notes = append(r.out.notes, finding.Note{
				File:    c.rng.Filename,
				Message: fmt.Sprintf("module %q: remote source %q not downloaded; run terraform init to scan it", c.name, c.source),
			})
			return nil
		}
	}
	for p := s; p != nil; p = p.parent {
		if p.mod.dir == dir {
			r.errorf(c.rng, "Module call cycle: module %q calls %s, which is already being evaluated", c.name, r.l.rel(dir))
			return nil
		}
	}
	if s.depth+1 > maxModuleDepth {
		r.errorf(c.rng, "module %q: modules nested more than %d deep", c.name, maxModuleDepth)
		return nil
	}
	m := r.l.moduleAt(dir)
	if m == nil {
		r.out.notes = append(r.out.notes, finding.Note{
			File:    c.rng.Filename,
			Message: fmt.Sprintf("module %q: no Terraform files to scan in %s", c.name, r.l.rel(dir)),
		})
		return nil
	}
	if !within(r.l.root, dir) {
		r.allowed = append(r.allowed, dir)
	}
	return m
}

// moduleAt returns the configuration of a called module directory. A
// directory inside the root that the user excluded stays excluded.
func (l *loader) moduleAt(dir string) *module {
	if _, walked := l.walked[dir]; !walked && within(l.root, dir) {
		rel := l.rel(dir)
		for _, p := range l.opts.Exclude {
			if walk.Match(p, rel) {
				return nil
			}
		}
	}
	for {
		e := l.entry(dir)
		if e.mod == nil {
			return nil
		}
		l.mu.Lock()
		current := l.configs[dir] == e // not released meanwhile
		if current {
			l.shared[e.mod] = true
		}
		l.mu.Unlock()
		if current {
			return e.mod
		}
	}
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)))
}

type manifest struct {
	Modules []struct {
		Key    string `json:"Key"`
		Source string `json:"Source"`
		Dir    string `json:"Dir"`
	} `json:"Modules"`
}

// manifestDir looks a module key ("net" or "net.sg") up in the root
// module's .terraform/modules/modules.json.
func (r *run) manifestDir(key string) string {
	if !r.readMan {
		r.readMan = true
		r.manifest = map[string]string{}
		name := filepath.Join(r.rootDir, ".terraform", "modules", "modules.json")
		src, err := readLimited(name, r.l.opts.MaxFileSize)
		if err == nil {
			var m manifest
			if err := json.Unmarshal(src, &m); err != nil {
				r.out.errs = append(r.out.errs, finding.Error{File: r.l.rel(name), Message: fmt.Sprintf("invalid modules.json: %v", err)})
			} else {
				r.l.addFile(r.l.rel(name))
				for _, mod := range m.Modules {
					if mod.Key == "" || mod.Dir == "" {
						continue
					}
					r.manifest[mod.Key] = filepath.Join(r.rootDir, filepath.FromSlash(mod.Dir))
				}
			}
		}
	}
	dir := r.manifest[key]
	if dir == "" {
		return ""
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return ""
	}
	return dir
}
