package rules

import (
	"strconv"
	"strings"
)

// resultSet collects a check's results so that a rule fires at most once per
// resource instance and source line. Several values can share one range: the
// objects of an `ingress = [...]` attribute, or the blocks a dynamic block
// generates; their messages are joined instead of repeated.
type resultSet struct {
	list []Result
	at   map[string]int
}

func (rs *resultSet) add(r Result) {
	if rs.at == nil {
		rs.at = map[string]int{}
	}
	k := r.Resource.Address() + "\x00" + r.Range.File + "\x00" + strconv.Itoa(r.Range.StartLine)
	if i, ok := rs.at[k]; ok {
		if prev := &rs.list[i]; !containsPart(prev.Message, r.Message) {
			prev.Message += "; " + r.Message
		}
		return
	}
	rs.at[k] = len(rs.list)
	rs.list = append(rs.list, r)
}

func containsPart(joined, msg string) bool {
	for _, p := range strings.Split(joined, "; ") {
		if p == msg {
			return true
		}
	}
	return false
}

// quoted renders a known value for a message.
func quoted(s string) string { return strconv.Quote(s) }
