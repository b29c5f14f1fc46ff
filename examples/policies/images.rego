# Containers run only images from the registries the organisation
# controls and scans.
package org.images

__rego_metadata__ := {
	"id": "ORG-003",
	"title": "Images come from an approved registry",
	"severity": "HIGH",
	"description": "Kubernetes workloads and Dockerfiles use only images from approved registries, which are scanned and whose tags are immutable.",
	"remediation": "Mirror the image into an approved registry and refer to it there.",
}

# The registries images may come from: the organisation's own, and the
# distroless base images it trusts.
approved := [
	"123456789012.dkr.ecr.eu-west-1.amazonaws.com/",
	"registry.example.com/",
	"gcr.io/distroless/",
]

approved_image(image) if {
	some prefix in approved
	startswith(image, prefix)
}

# Containers of Pods, and of the pod templates of Deployments, Jobs,
# CronJobs and the rest, wherever the template sits in the object.
pod_containers := {"containers", "initContainers", "ephemeralContainers"}

deny contains {"msg": msg, "resource": r} if {
	some r in input.resources
	r.format == "kubernetes"
	walk(r.attributes, [path, containers])
	pod_containers[path[count(path) - 1]]
	some c in containers
	image := c.image
	is_string(image)
	not approved_image(image)
	msg := sprintf("%s: container %q runs %s, not from an approved registry", [r.address, c.name, image])
}

# For a Dockerfile, what matters is the image it ships: the final stage
# and the stages it is built FROM, however deep. Build stages that only
# hand files over (COPY --from) may use any image.
deny contains {"msg": msg, "resource": r} if {
	some r in input.resources
	r.format == "dockerfile"
	some final in r.attributes.stage
	final.final
	some i in graph.reachable(stage_graph(r), {final.index})
	some stage in r.attributes.stage
	stage.index == i
	not stage_name(r, stage.index, stage.base)
	stage.base != "scratch"
	not approved_image(stage.base)
	msg := sprintf("%s: the image it builds is based on %s (stage %d), not from an approved registry", [r.address, stage.base, stage.index])
}

# stage_graph links each stage to the earlier stage its FROM names, if any.
stage_graph(r) := {s.index: {t.index |
	some t in r.attributes.stage
	t.index < s.index
	lower(t.name) == lower(s.base)
} |
	some s in r.attributes.stage
}

# FROM may name an earlier stage of the same Dockerfile.
stage_name(r, index, name) if {
	some s in r.attributes.stage
	s.index < index
	lower(s.name) == lower(name)
}
