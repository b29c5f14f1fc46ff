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
//	      "unknown":    ["ami", "ebs_block_device[0].kms_key_id"],
//	      "decoded":    {...},                 // documents held in string attributes
//	      "templates":  {...}                  // known text of unknown strings
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
// decoded and templates have the shape of attributes (the same keys, nested
// blocks at the same indexes, {} for a block with nothing to add) but hold
// only the attributes that have something to add, so a document or a
// template sits at the same path as its attribute.
//
//   - decoded holds the document an attribute carries as a string, as an
//     object: the value written in jsonencode(x) or yamlencode(x), a
//     CloudFormation policy document, or a known string that is a JSON
//     object or array (a heredoc, file()). The string itself stays in
//     attributes as it was. A document with a part known only after apply
//     (an ARN) makes the string unknown, null in attributes, while decoded
//     keeps every known part: the unknown parts are null, with their paths
//     in unknown under the attribute's, e.g. policy.Statement[0].Resource
//     beside policy. Such a path goes into a string attribute, so it can
//     only mean the decoded document.
//   - templates holds, for a string known only after apply that is built
//     from literal text and expressions (a template or heredoc with an
//     unknown interpolation, base64encode of one, templatefile, a
//     CloudFormation Fn::Sub or Fn::Join), its parts in order: the literal
//     text, as a string, and null for each part known only after apply:
//     ["export KEY=AKIA...\naws configure set region ", null, "\n"].
//     A policy looking for secrets reads the strings, and cannot match
//     across a part that is not known. A known string has no template: it
//     is in attributes.
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
