package rules

import (
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/secrets"
	"github.com/zclconf/go-cty/cty"
)

// Checks over Services and Secrets.

// serviceAdminPort returns the attribute of a Service port element that
// exposes an admin service: port, or else targetPort when it is a number (a
// string targetPort names a container port).
func serviceAdminPort(port *model.Block) (a *model.Attribute, msg string) {
	if a := k8sAttr(port, "port"); a != nil {
		if n, ok := a.Int(); ok {
			if np, ok := adminPort(n); ok {
				return a, "port " + np.String()
			}
		}
	}
	if a := k8sAttr(port, "targetPort"); a != nil && a.Value.Type() != cty.String {
		if n, ok := a.Int(); ok {
			if np, ok := adminPort(n); ok {
				return a, "target port " + np.String()
			}
		}
	}
	return nil, ""
}

func checkK8sServiceAdminPort(s *model.State) []Result {
	var rs resultSet
	for _, res := range k8sObjects(s, "Service") {
		for _, port := range res.Body.Block("spec").BlocksOf("ports") {
			if a, what := serviceAdminPort(port); a != nil {
				rs.add(At(res, a, label(res)+" exposes "+what))
			}
		}
	}
	return rs.list
}

// serviceType returns the Service's spec.type, ClusterIP when unset.
func serviceType(res *model.Resource) (*model.Attribute, string, bool) {
	a := k8sAttr(res.Body.Block("spec"), "type")
	if a == nil {
		return nil, "ClusterIP", true
	}
	t, ok := a.String()
	return a, t, ok
}

func checkK8sNodePort(s *model.State) []Result {
	var rs resultSet
	for _, res := range k8sObjects(s, "Service") {
		if a, t, ok := serviceType(res); ok && t == "NodePort" {
			rs.add(At(res, a, label(res)+" is of type NodePort and opens its ports on every node"))
		}
	}
	return rs.list
}

// internalLBAnnotations make a cloud provider's load balancer internal,
// with the values that do so ("" = any value but false).
var internalLBAnnotations = map[string]string{
	"service.beta.kubernetes.io/aws-load-balancer-internal":              "",
	"service.beta.kubernetes.io/aws-load-balancer-scheme":                "internal",
	"networking.gke.io/load-balancer-type":                               "internal",
	"cloud.google.com/load-balancer-type":                                "internal",
	"service.beta.kubernetes.io/azure-load-balancer-internal":            "true",
	"service.beta.kubernetes.io/oci-load-balancer-internal":              "true",
	"service.beta.kubernetes.io/openstack-internal-load-balancer":        "true",
	"service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type":     "private",
	"service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type": "intranet",
}

const lbSourceRangesAnnotation = "service.beta.kubernetes.io/load-balancer-source-ranges"

// publicLB reports whether a LoadBalancer Service is known to accept
// connections from any address: not internal, and with no source ranges
// or with a /0 among them.
func publicLB(res *model.Resource) bool {
	annotations := res.Body.Block("metadata").Block("annotations")
	for key, want := range internalLBAnnotations {
		a := k8sAttr(annotations, key)
		if a == nil {
			continue
		}
		v, ok := a.String()
		if !ok {
			return false // cannot tell
		}
		v = strings.ToLower(strings.TrimSpace(v))
		if (want == "" && v != "false") || v == want {
			return false
		}
	}
	var ranges []string
	if a := k8sAttr(res.Body.Block("spec"), "loadBalancerSourceRanges"); a != nil {
		rs, ok := a.Strings()
		if !ok {
			return false
		}
		ranges = rs
	} else if a := k8sAttr(annotations, lbSourceRangesAnnotation); a != nil {
		v, ok := a.String()
		if !ok {
			return false
		}
		for _, r := range strings.Split(v, ",") {
			if r = strings.TrimSpace(r); r != "" {
				ranges = append(ranges, r)
			}
		}
	}
	if len(ranges) == 0 {
		return true
	}
	for _, r := range ranges {
		if p, err := netip.ParsePrefix(strings.TrimSpace(r)); err == nil && p.Bits() == 0 {
			return true
		}
	}
	return false
}

func checkK8sPublicAdminLB(s *model.State) []Result {
	var rs resultSet
	for _, res := range k8sObjects(s, "Service") {
		if _, t, ok := serviceType(res); !ok || t != "LoadBalancer" || !publicLB(res) {
			continue
		}
		for _, port := range res.Body.Block("spec").BlocksOf("ports") {
			if a, what := serviceAdminPort(port); a != nil {
				rs.add(At(res, a, label(res)+" exposes "+what+" on a load balancer open to any address"))
			}
		}
	}
	return rs.list
}

func checkK8sSecretData(s *model.State) []Result {
	var rs resultSet
	for _, res := range k8sObjects(s, "Secret") {
		if t, ok := res.Attr("type").String(); ok && t == "kubernetes.io/service-account-token" {
			continue // filled in by the token controller
		}
		for _, field := range []string{"data", "stringData"} {
			b := res.Body.Block(field)
			if b == nil {
				continue
			}
			var keys []string
			for k, a := range b.Attrs {
				v, ok := a.String()
				if !ok || strings.TrimSpace(v) == "" {
					continue
				}
				if field == "stringData" && !secrets.IsLiteral(v) {
					continue // a placeholder filled in at deploy time
				}
				keys = append(keys, k)
			}
			if len(keys) == 0 {
				continue
			}
			sort.Strings(keys)
			rs.add(AtBlock(res, b, label(res)+" has "+strconv.Itoa(len(keys))+" value"+plural(len(keys), "", "s")+
				" in "+field+" ("+strings.Join(keys, ", ")+") written in the manifest"))
		}
	}
	return rs.list
}
