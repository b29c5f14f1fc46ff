package rules

import (
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Image rules: how the configuration chooses what servers boot. Immutable
// infrastructure rests on every server being a copy of one known image; a
// lookup that picks "whatever is newest" or "whoever published it", or a
// group that follows a moving template version, breaks that without any
// line of the configuration changing.

const (
	refFindAMI     = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami.html"
	refAllowedAMIs = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html"
	refAMIDataTF   = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/ami"
	refASGTemplate = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/create-asg-launch-template.html"
	refASGTF       = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group"
)

func awsImageRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-AWS-080",
			Severity: finding.Medium,
			Title:    "AMI lookup takes the most recent matching image",
			Why: "data \"aws_ami\" with most_recent = true resolves to a different image whenever a newer one matching " +
				"the filters is published. The same commit then builds different servers on different days, a plan " +
				"replaces instances nobody changed, and reverting a commit no longer brings the old image back. " +
				"Immutable infrastructure names the image it ships, so that it was tested and can be rolled back to.",
			Remediation: "Pin the image: pass the AMI ID your image pipeline produced (a variable, an SSM parameter " +
				"written by the pipeline, or filter { name = \"image-id\" values = [var.ami_id] }), or look it up by " +
				"its exact name together with owners. Promote a new image by changing that value in a reviewed commit.",
			References:    []string{refAMIDataTF, refFindAMI, refImmutable},
			ResourceTypes: []string{"aws_ami"},
			Check:         checkAMIMostRecent,
		},
		{
			ID:       "FX-AWS-081",
			Severity: finding.High,
			Title:    "AMI lookup does not restrict the image owner",
			Why: "Without owners (or an owner-id / owner-alias filter) the lookup searches every public AMI. Anyone can " +
				"publish an image whose name matches the filter, and with most_recent = true the newest one wins: " +
				"every server launched from it then runs a stranger's image, with the instance role's permissions " +
				"(the \"whoAMI\" name-confusion attack).",
			Remediation: "Set owners to the account that publishes the image: owners = [\"self\"] for your own " +
				"images, the vendor's account ID, or \"amazon\" for Amazon's. Enforce it account-wide with EC2 " +
				"Allowed AMIs.",
			References: []string{
				refAMIDataTF,
				refFindAMI,
				refAllowedAMIs,
				"https://securitylabs.datadoghq.com/articles/whoami-a-cloud-image-name-confusion-attack/",
			},
			ResourceTypes: []string{"aws_ami"},
			Check:         checkAMIOwners,
		},
		{
			ID:       "FX-AWS-097",
			Severity: finding.Low,
			Title:    "Autoscaling group launches the \"$Latest\" launch template version",
			Why: "With version = \"$Latest\" the group's own configuration never changes when the template does, " +
				"so a new image or user data reaches the fleet without any change to the group: no plan shows it, " +
				"an instance_refresh (which runs when the group's launch template setting changes) never starts, and " +
				"running instances keep the old version while scale-outs and health replacements get the new one: a " +
				"mixed fleet that no rollout produced. A version created outside this configuration (the console, " +
				"another pipeline) is picked up the same way. Pinning the version keeps the template's changes " +
				"flowing, but as a visible change to the group that rolls out and can be rolled back. Low, because " +
				"the template itself is usually changed in a reviewed plan.",
			Remediation: "Pin the version the configuration created:\n  launch_template {\n" +
				"    id      = aws_launch_template.app.id\n    version = aws_launch_template.app.latest_version\n  }\n" +
				"and add an instance_refresh block to roll each new version out.",
			References:    []string{refASGTemplate, refInstanceRefr, refASGTF},
			ResourceTypes: []string{"aws_autoscaling_group"},
			Check:         checkASGLatestVersion,
		},
	}
}

// amiFilters returns the known values of the lookup's filters by name.
// complete is false when a filter name or its values are unknown.
func amiFilters(r *model.Resource) (byName map[string][]string, complete bool) {
	byName, complete = map[string][]string{}, true
	for _, f := range r.Body.BlocksOf("filter") {
		name, ok := f.Attr("name").String()
		vals, vok := f.Attr("values").Strings()
		if !ok || !vok {
			complete = false
		}
		if ok {
			byName[name] = append(byName[name], vals...)
		}
	}
	return byName, complete
}

// filterPresent reports whether the lookup filters on name, whatever the
// values (unknown values still restrict the lookup); a filter whose own name
// is unknown might be it.
func filterPresent(r *model.Resource, name string) bool {
	for _, f := range r.Body.BlocksOf("filter") {
		if n, ok := f.Attr("name").String(); !ok || n == name {
			return true
		}
	}
	return false
}

func hasWildcard(vals []string) bool {
	for _, v := range vals {
		if strings.ContainsAny(v, "*?") {
			return true
		}
	}
	return false
}

// ownersOf returns the lookup's known owners; known is false when they
// cannot be read.
func ownersOf(r *model.Resource) (owners []string, known bool) {
	a := r.Attr("owners")
	if unset(a) {
		return nil, true
	}
	return a.Strings()
}

// restrictsOwner reports whether the lookup is limited to some owners, by
// the owners argument or an owner filter; unknown values count as limits.
func restrictsOwner(r *model.Resource) bool {
	if owners, known := ownersOf(r); !known || len(owners) > 0 {
		return true
	}
	return filterPresent(r, "owner-id") || filterPresent(r, "owner-alias")
}

func checkAMIMostRecent(s *model.State) []Result {
	var rs resultSet
	for _, r := range s.DataOfType("aws_ami") {
		a := r.Attr("most_recent")
		if !boolIs(a, true) {
			continue
		}
		filters, complete := amiFilters(r)
		if !complete || filterPresent(r, "image-id") {
			continue // pinned by ID, or filters this scan cannot read
		}
		names := filters["name"]
		// An exact name from a known owner is one image: AMI names are
		// unique per account and region.
		if len(names) > 0 && !hasWildcard(names) && restrictsOwner(r) {
			continue
		}
		msg := label(r) + " sets most_recent = true"
		switch {
		case len(names) > 0:
			msg += ", so it takes the newest image named " + quoteAll(names) + " at every plan"
		default:
			msg += ", so it takes the newest matching image at every plan"
		}
		rs.add(At(r, a, msg))
	}
	return rs.list
}

func checkAMIOwners(s *model.State) []Result {
	var rs resultSet
	for _, r := range s.DataOfType("aws_ami") {
		if restrictsOwner(r) || filterPresent(r, "image-id") {
			continue
		}
		what := "any account's image that matches"
		if filters, _ := amiFilters(r); len(filters["name"]) > 0 {
			what = "any account's image named " + quoteAll(filters["name"])
		}
		if boolIs(r.Attr("most_recent"), true) {
			what += ", the newest first,"
		}
		a := r.Attr("owners")
		if unset(a) {
			rs.add(Missing(r, label(r)+" has no owners, so "+what+" can be chosen"))
		} else {
			rs.add(At(r, a, label(r)+" sets owners to an empty list, so "+what+" can be chosen"))
		}
	}
	return rs.list
}

func checkASGLatestVersion(s *model.State) []Result {
	var rs resultSet
	flag := func(res *model.Resource, b *model.Block, where string) {
		a := b.Attr("version")
		if v, ok := a.String(); ok && v == "$Latest" {
			rs.add(At(res, a, label(res)+" "+where+" sets version = \"$Latest\""))
		}
	}
	for _, res := range s.OfType("aws_autoscaling_group") {
		for _, lt := range res.Body.BlocksOf("launch_template") {
			flag(res, lt, "launch_template")
		}
		for _, mip := range res.Body.BlocksOf("mixed_instances_policy") {
			for _, lt := range mip.BlocksOf("launch_template") {
				for _, spec := range lt.BlocksOf("launch_template_specification") {
					flag(res, spec, "mixed_instances_policy launch_template_specification")
				}
				for _, o := range lt.BlocksOf("override") {
					for _, spec := range o.BlocksOf("launch_template_specification") {
						flag(res, spec, "mixed_instances_policy override launch_template_specification")
					}
				}
			}
		}
	}
	return rs.list
}
