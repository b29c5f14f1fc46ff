package model

import (
	"strings"
	"sync"
)

// index holds lookups built on first use. Rules ask the same questions of
// every resource ("which versioning resource points at this bucket?"), and
// answering each by a walk over all resources makes a scan quadratic.
type index struct {
	mu     sync.Mutex
	byType map[typeKey][]*Resource
	links  map[linkKey]*Links
}

type typeKey struct {
	mode Mode
	typ  string
}

type linkKey struct{ typ, attr string }

func (s *State) ofType(mode Mode, typ string) []*Resource {
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	if s.idx.byType == nil {
		s.idx.byType = make(map[typeKey][]*Resource)
		for _, r := range s.Resources {
			k := typeKey{r.Mode, r.Type}
			s.idx.byType[k] = append(s.idx.byType[k], r)
		}
	}
	return s.idx.byType[typeKey{mode, typ}]
}

// Links indexes the managed resources of one type by what one of their
// attributes points at: the resources it refers to, and its known value.
type Links struct {
	attr    string
	byRef   map[string][]*Resource
	byValue map[string][]*Resource
	unknown []*Resource

	mu     sync.Mutex
	opaque map[string]bool
}

// Links returns the index of typ's resources by attr, building it once.
func (s *State) Links(typ, attr string) *Links {
	resources := s.OfType(typ)
	s.idx.mu.Lock()
	defer s.idx.mu.Unlock()
	k := linkKey{typ, attr}
	if l, ok := s.idx.links[k]; ok {
		return l
	}
	l := &Links{attr: attr, byRef: map[string][]*Resource{}, byValue: map[string][]*Resource{}}
	for _, r := range resources {
		a := r.Attr(attr)
		if a == nil {
			continue
		}
		for _, ref := range a.Refs {
			l.byRef[ref] = append(l.byRef[ref], r)
		}
		if v, ok := a.String(); ok && v != "" {
			l.byValue[v] = append(l.byValue[v], r)
		} else if !a.Value.IsWhollyKnown() {
			l.unknown = append(l.unknown, r)
		}
	}
	if s.idx.links == nil {
		s.idx.links = make(map[linkKey]*Links)
	}
	s.idx.links[k] = l
	return l
}

// To returns the resources whose attribute refers to target, or holds the
// same known value as target's matchAttr (when matchAttr is not empty):
// references first, then value matches. The slice is shared: don't modify it.
func (l *Links) To(target *Resource, matchAttr string) []*Resource {
	out := l.byRef[target.BaseAddress()]
	if matchAttr == "" {
		return out
	}
	want, ok := target.Attr(matchAttr).String()
	if !ok || want == "" || len(l.byValue[want]) == 0 {
		return out
	}
	merged := append([]*Resource(nil), out...)
	for _, r := range l.byValue[want] {
		if !contains(merged, r) {
			merged = append(merged, r)
		}
	}
	return merged
}

// Unresolved returns the resources whose attribute is set but not known:
// they might point at anything.
func (l *Links) Unresolved() []*Resource { return l.unknown }

// Opaque reports whether some resource's attribute is unknown without
// referring to a managed resource of any of the given types: it might point
// at anything, so a rule about a missing link should not guess.
func (l *Links) Opaque(types ...string) bool {
	key := strings.Join(types, ",")
	l.mu.Lock()
	defer l.mu.Unlock()
	if v, ok := l.opaque[key]; ok {
		return v
	}
	v := false
	for _, r := range l.unknown {
		if !r.Attr(l.attr).RefersToType(types...) {
			v = true
			break
		}
	}
	if l.opaque == nil {
		l.opaque = map[string]bool{}
	}
	l.opaque[key] = v
	return v
}

// RefType returns the resource type a reference names, and whether it is a
// data source: "module.m.aws_vpc.main" is ("aws_vpc", false), and so is the
// qualified "stacks/web:aws_vpc.main".
func RefType(ref string) (typ string, data bool) {
	if i := strings.LastIndexByte(ref, ':'); i >= 0 {
		ref = ref[i+1:]
	}
	parts := strings.Split(ref, ".")
	n := len(parts)
	if n < 2 {
		return "", false
	}
	return parts[n-2], n >= 3 && parts[n-3] == "data"
}

// HasValues reports whether any resource's attribute holds a known value.
func (l *Links) HasValues() bool { return len(l.byValue) > 0 }

func contains(rs []*Resource, r *Resource) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// derived holds values computed from the state once and shared by every
// rule that asks (a parsed policy document is read by several rules).
type derived struct {
	mu sync.Mutex
	m  map[any]*derivedEntry
}

type derivedEntry struct {
	once sync.Once
	v    any
}

// Derived returns make's value for key, calling make once per state however
// many rules ask, concurrently or not. Keys are compared with ==; use a
// type of your own so that packages cannot collide.
func (s *State) Derived(key any, make func() any) any {
	s.derived.mu.Lock()
	if s.derived.m == nil {
		s.derived.m = map[any]*derivedEntry{}
	}
	e, ok := s.derived.m[key]
	if !ok {
		e = &derivedEntry{}
		s.derived.m[key] = e
	}
	s.derived.mu.Unlock()
	e.once.Do(func() { e.v = make() })
	return e.v
}
