package dockerfile

import (
	"maps"
	"slices"
)

// vars are the variables visible to one stage (or, for the global scope,
// to FROM lines), as shell.EnvGetter. Only values known from the Dockerfile
// itself are here: a variable that is not is left unexpanded.
type vars struct {
	// env holds ENV values; they take precedence over ARG values of the
	// same name, as in BuildKit.
	env  varMap
	args varMap
}

type varMap map[string]string

func (m *varMap) set(k, v string) {
	if *m == nil {
		*m = varMap{}
	}
	(*m)[k] = v
}

func (m varMap) get(k string) (string, bool) {
	v, ok := m[k]
	return v, ok
}

func (m varMap) clone() varMap { return maps.Clone(m) }

// Get implements shell.EnvGetter.
func (v *vars) Get(k string) (string, bool) {
	if s, ok := v.env[k]; ok {
		return s, true
	}
	s, ok := v.args[k]
	return s, ok
}

// Keys implements shell.EnvGetter.
func (v *vars) Keys() []string {
	keys := slices.Collect(maps.Keys(v.env))
	for k := range v.args {
		if _, ok := v.env[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
