package rules

import (
	"slices"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Checks over RBAC roles and bindings. A wildcard resource or verb is
// FX-K8S-020's finding; the rules about one resource (pods/exec, secrets,
// pods) fire where that resource is named, with any verb that grants the
// action, "*" included.

// rbacRule is one element of a Role's or ClusterRole's rules.
type rbacRule struct {
	res                          *model.Resource
	apiGroups, resources         *model.Attribute
	verbs                        *model.Attribute
	groupList, resList, verbList []string
	resourceNames                []string
}

// rbacRules returns the rules of every Role and ClusterRole whose
// apiGroups, resources and verbs are all known.
func rbacRules(s *model.State) []rbacRule {
	var out []rbacRule
	for _, res := range k8sObjects(s, "Role", "ClusterRole") {
		for _, b := range res.Body.BlocksOf("rules") {
			r := rbacRule{res: res}
			var ok1, ok2, ok3 bool
			r.groupList, r.apiGroups, ok1 = k8sStrings(b, "apiGroups")
			r.resList, r.resources, ok2 = k8sStrings(b, "resources")
			r.verbList, r.verbs, ok3 = k8sStrings(b, "verbs")
			if !ok1 || !ok2 || !ok3 {
				continue
			}
			r.resourceNames, _, _ = k8sStrings(b, "resourceNames")
			out = append(out, r)
		}
	}
	return out
}

// core reports whether the rule covers the core API group ("" or "*").
func (r rbacRule) core() bool {
	return slices.Contains(r.groupList, "") || slices.Contains(r.groupList, "*")
}

// granted returns the verbs among want (or "*") the rule grants.
func (r rbacRule) granted(want ...string) []string {
	var out []string
	for _, v := range r.verbList {
		if (v == "*" || slices.Contains(want, v)) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// named returns the resources among want the rule names explicitly.
func (r rbacRule) named(want ...string) []string {
	var out []string
	for _, res := range r.resList {
		if slices.Contains(want, res) && !slices.Contains(out, res) {
			out = append(out, res)
		}
	}
	return out
}

func checkK8sRBACWildcards(s *model.State) []Result {
	var rs resultSet
	for _, r := range rbacRules(s) {
		for _, f := range []struct {
			a    *model.Attribute
			vals []string
		}{{r.apiGroups, r.groupList}, {r.resources, r.resList}, {r.verbs, r.verbList}} {
			if slices.Contains(f.vals, "*") {
				rs.add(At(r.res, f.a, label(r.res)+" grants "+f.a.Name+" \"*\""))
			}
		}
	}
	return rs.list
}

func checkK8sRBACExec(s *model.State) []Result {
	var rs resultSet
	for _, r := range rbacRules(s) {
		if !r.core() {
			continue
		}
		var grants []string
		// exec and attach are a POST (create) or, over WebSockets, a GET.
		if shell := r.named("pods/exec", "pods/attach", "*/exec", "*/attach"); len(shell) > 0 {
			if verbs := r.granted("create", "get"); len(verbs) > 0 {
				grants = append(grants, quoteAll(verbs)+" on "+strings.Join(shell, ", "))
			}
		}
		if eph := r.named("pods/ephemeralcontainers", "*/ephemeralcontainers"); len(eph) > 0 {
			if verbs := r.granted("update", "patch"); len(verbs) > 0 {
				grants = append(grants, quoteAll(verbs)+" on "+strings.Join(eph, ", "))
			}
		}
		if len(grants) > 0 {
			rs.add(At(r.res, r.resources, label(r.res)+" grants "+strings.Join(grants, " and ")+
				": a way into running containers"))
		}
	}
	return rs.list
}

func checkK8sRBACSecrets(s *model.State) []Result {
	var rs resultSet
	for _, r := range rbacRules(s) {
		if !r.core() || len(r.named("secrets")) == 0 || len(r.resourceNames) > 0 {
			continue
		}
		if verbs := r.granted("get", "list", "watch"); len(verbs) > 0 {
			rs.add(At(r.res, r.resources, label(r.res)+" can read every secret: it grants "+quoteAll(verbs)+" on secrets"))
		}
	}
	return rs.list
}

func checkK8sRBACEscalate(s *model.State) []Result {
	var rs resultSet
	for _, r := range rbacRules(s) {
		var bad []string
		for _, v := range r.verbList {
			if (v == "escalate" || v == "bind" || v == "impersonate") && !slices.Contains(bad, v) {
				bad = append(bad, v)
			}
		}
		if len(bad) > 0 {
			rs.add(At(r.res, r.verbs, label(r.res)+" grants "+quoteAll(bad)))
		}
	}
	return rs.list
}

func checkK8sRBACCreatePods(s *model.State) []Result {
	var rs resultSet
	for _, r := range rbacRules(s) {
		if !r.core() || len(r.named("pods")) == 0 {
			continue
		}
		if verbs := r.granted("create"); len(verbs) > 0 {
			rs.add(At(r.res, r.resources, label(r.res)+" grants "+quoteAll(verbs)+" on pods"))
		}
	}
	return rs.list
}

func checkK8sClusterAdminBinding(s *model.State) []Result {
	var rs resultSet
	for _, res := range k8sObjects(s, "RoleBinding", "ClusterRoleBinding") {
		ref := res.Body.Block("roleRef")
		kind, _ := ref.Attr("kind").String()
		a := k8sAttr(ref, "name")
		name, ok := a.String()
		if !ok || kind != "ClusterRole" || name != "cluster-admin" {
			continue
		}
		var subjects []string
		for _, sub := range res.Body.BlocksOf("subjects") {
			k, _ := sub.Attr("kind").String()
			n, _ := sub.Attr("name").String()
			if ns, ok := sub.Attr("namespace").String(); ok && ns != "" {
				n = ns + "/" + n
			}
			subjects = append(subjects, strings.TrimSpace(k+" "+n))
		}
		msg := label(res) + " grants cluster-admin"
		if len(subjects) > 0 {
			msg += " to " + joinAnd(subjects)
		}
		rs.add(At(res, a, msg))
	}
	return rs.list
}
