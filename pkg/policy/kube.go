package policy

import "github.com/fixity-sec/fixity/pkg/iac/model"

// fromSequence reports whether a Kubernetes block that is the only one of
// its type in its parent was an element of a YAML sequence (so the policy
// must see a one-element array) rather than a mapping (an object).
//
// The model does not record which it was, so this answers from the
// Kubernetes API: the fields below hold lists of objects wherever the
// built-in API types use them. A custom resource's own list fields are not
// known here: one element there reads as an object.
func fromSequence(parentType string, b *model.Block) bool {
	switch b.Type {
	case
		// Pods and pod templates.
		"containers", "initContainers", "ephemeralContainers",
		"volumes", "volumeMounts", "volumeDevices",
		"env", "envFrom", "ports", "imagePullSecrets", "tolerations",
		"hostAliases", "topologySpreadConstraints", "readinessGates",
		"resourceClaims", "claims", "sources", "items",
		"matchExpressions", "matchFields", "nodeSelectorTerms",
		"preferredDuringSchedulingIgnoredDuringExecution",
		// RBAC, admission, networking, services, metadata.
		"rules", "subjects", "webhooks", "paths", "ingress", "egress",
		"from", "to", "secrets", "metrics", "subsets", "addresses",
		"endpoints", "conditions", "ownerReferences", "managedFields":
		return true
	case "requiredDuringSchedulingIgnoredDuringExecution":
		// A list under pod (anti-)affinity, a NodeSelector object under
		// nodeAffinity.
		return parentType == "podAffinity" || parentType == "podAntiAffinity"
	}
	return false
}
