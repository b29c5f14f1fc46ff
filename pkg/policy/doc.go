// Package policy runs a team's own rules, written in Rego, beside fixity's
// built-in ones. Policies see every resource of a scan, whatever its format,
// as one JSON document, and report through `deny` and `warn` rules the way
// conftest and Trivy policies do, so existing policies need little change.
//
// # Input
//
// A policy reads `input`, built from the scanned state:
//
//	{
//	  "resources": [
//	    {
//	      "format":     "terraform",          // or "cloudformation", "kubernetes", "dockerfile"
//	      "type":       "aws_instance",       // Terraform type; a Kubernetes kind; "dockerfile"
//	      "name":       "web",
//	      "address":    "module.app.aws_instance.web[0]",  // what findings name the resource by
//	      "file":       "modules/app/main.tf", // relative to the scanned directory
//	      "line":       12,
//	      "end_line":   30,
//	      "module":     "module.app",          // "" in the root module and for other formats
//	      "mode":       "managed",             // or "data" for Terraform data sources
//	      "attributes": {...},
//	      "unknown":    ["ami", "ebs_block_device[0].kms_key_id"]
//	    }
//	  ]
//	}
//
// attributes is the evaluated body of the resource:
//
//   - Every attribute is its value after evaluation as plain JSON: strings,
//     numbers, booleans, arrays, objects, null.
//   - A value known only after apply (an id, an ARN) is null, and its path
//     is listed in unknown, so a policy can tell "not known yet" from "set
//     to null" (null, not listed) and from "not set" (key absent).
//     Paths are written the way Rego reads them: tags.Team,
//     ingress[0].cidr_blocks[1], tags["kubernetes.io/role"].
//   - Terraform and CloudFormation nested blocks are arrays of objects
//     under the block type, even when there is one:
//     input.resources[_].attributes.ingress[_].from_port. CloudFormation
//     resources are mapped to the Terraform AWS provider's vocabulary, as
//     for the built-in rules, so one policy covers both.
//   - Kubernetes objects keep the manifest's own shape: a mapping is an
//     object and a list of mappings an array, so
//     attributes.spec.template.spec.containers[_].image reads as in the
//     YAML. attributes holds the whole object (apiVersion, kind, metadata,
//     spec, ...).
//   - A Dockerfile is one resource whose attributes.stage is the list of
//     build stages (name, index, base, final, and one array per instruction
//     keyword: run, user, copy, ...). Each stage also lists its
//     instructions in source order under instructions, each marked with
//     its keyword: {"instruction": "user", "args": ["app"], ...}.
//     Global ARG instructions before the first FROM are attributes.arg.
//
// Input returns this document as Go values, for tests and documentation.
//
// # Policies
//
// Any package may define `deny` and `warn`, usually as partial set rules:
//
//	package org.tags
//
//	deny contains msg if {
//		some r in input.resources
//		startswith(r.type, "aws_")
//		not r.attributes.tags.team
//		msg := sprintf("%s has no team tag", [r.address])
//	}
//
// A result is a message string, or an object
//
//	{"msg": "...", "resource": r.address, "severity": "MEDIUM", "id": "ORG-001"}
//
// in which everything but msg is optional. resource names the resource the
// finding is about (its address, or the resource object itself, which also
// tells resources of the same name in different files apart); the finding
// then points at that resource, where inline ignore comments can suppress
// it. Without a resource it points at the rule in the policy file.
// severity and id override the rule's for that one result. A boolean rule
// (`deny if ...`) gives one finding whose message is the rule's title.
//
// Rego v1 syntax is read, and v0 (`deny[msg] { ... }`) too, per file.
//
// # Metadata
//
// Findings need an id, title and severity. A package gives them with
// Trivy's metadata rule
//
//	__rego_metadata__ := {
//		"id": "ORG-001",
//		"title": "AWS resources need a team tag",
//		"severity": "MEDIUM",
//		"description": "...",
//		"remediation": "...",
//		"references": ["https://wiki.example.com/tagging"],
//	}
//
// or with OPA's METADATA comments, on the package or on the deny or warn
// rule itself (title, description, related_resources, and custom.id,
// custom.severity, custom.remediation). The closest wins: METADATA on the
// rule, then __rego_metadata__, then METADATA on the package.
//
// A package's id and severity describe its deny rule; when the package also
// has warn, its warnings get "<id>.warn" and severity LOW unless the warn
// rule's own METADATA says otherwise. Without metadata, deny is HIGH and
// warn LOW, and ids are "<package>.deny" and "<package>.warn".
//
// # Errors
//
// A policy that does not parse or compile makes Load fail with the file and
// line; one that fails while running (a complete rule with conflicting
// values, for example) makes Eval fail the same way. Either way no partial
// result is returned: a policy that cannot run must not pass silently.
package policy
