package rules

import "sort"

func sortByID(rs []*Rule) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
}
