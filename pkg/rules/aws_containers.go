package rules

import (
	"regexp"
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
	"github.com/fixity-sec/fixity/pkg/secrets"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// Container rules: ECS task definitions. A task definition revision is the
// immutable unit of an ECS deployment, the container counterpart of an AMI
// and a launch template: every task started from it is built the same way,
// so what it allows, it allows for every copy, and what it leaves open
// (a writable root filesystem, a moving tag) is where running tasks start
// to differ from the revision that was reviewed.

const (
	refECSControls    = "https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html"
	refECSTaskParams  = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"
	refECSSecrets     = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html"
	refECSImageDigest = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html#deployment-container-image-stability"
	refECSTaskDefTF   = "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecs_task_definition"
)

var taskDefinitionTypes = []string{"aws_ecs_task_definition"}

func awsContainerRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-AWS-082",
			Severity: finding.High,
			Title:    "ECS container runs privileged",
			Why: "A privileged container gets every capability and the host's devices: a process that escapes it owns " +
				"the container instance and every other task on it. Immutable servers are only as trustworthy as the " +
				"image they boot; a privileged task lets anything it runs change that host underneath the fleet.",
			Remediation: "Remove \"privileged\": true from the container definition (it defaults to false); grant the " +
				"single capability the container needs instead, e.g.\n" +
				"  linuxParameters = { capabilities = { add = [\"NET_BIND_SERVICE\"], drop = [\"ALL\"] } }",
			References:    []string{refECSControls, refECSTaskParams},
			ResourceTypes: taskDefinitionTypes,
			Check:         checkECSPrivileged,
		},
		{
			ID:       "FX-AWS-083",
			Severity: finding.Medium,
			Title:    "ECS container root filesystem is writable",
			Why: "A container is an immutable artifact: everything it needs is in its image, and state belongs on a " +
				"volume. A writable root filesystem lets a running task drift from its image (patched binaries, dropped " +
				"tools, an attacker's persistence) in ways nothing records and no redeploy reviews. " +
				"readonlyRootFilesystem defaults to false.",
			Remediation: "Set \"readonlyRootFilesystem\": true in each container definition and mount a volume (or a " +
				"tmpfs via linuxParameters) for the paths that must be written, e.g.\n" +
				"  { name = \"web\", image = \"...\", readonlyRootFilesystem = true,\n" +
				"    mountPoints = [{ sourceVolume = \"tmp\", containerPath = \"/tmp\" }] }",
			References:    []string{refECSControls, refECSTaskParams, refImmutable},
			ResourceTypes: taskDefinitionTypes,
			Check:         checkECSReadOnlyRoot,
		},
		{
			ID:       "FX-AWS-084",
			Severity: finding.High,
			Title:    "Secrets in ECS container environment variables",
			Why: "Plain environment values are part of the task definition: anyone allowed ecs:DescribeTaskDefinition " +
				"reads them, they sit in the Terraform state, and every revision ever registered keeps them, since " +
				"revisions cannot be edited, only deregistered.",
			Remediation: "Store the secret in AWS Secrets Manager or SSM Parameter Store and reference it under \"secrets\":\n" +
				"  secrets = [{ name = \"DB_PASSWORD\", valueFrom = aws_secretsmanager_secret.db.arn }]\n" +
				"ECS injects it at start with the task execution role; then rotate the exposed secret.",
			References:    []string{refECSSecrets, refECSControls, refSecrets},
			ResourceTypes: taskDefinitionTypes,
			Check:         checkECSEnvSecrets,
		},
		{
			ID:       "FX-AWS-085",
			Severity: finding.Medium,
			Title:    "ECS container image is not pinned by digest",
			Why: "A tag is a name that can be moved to another image; a digest is the image. ECS resolves a tag to a " +
				"digest when a service deployment starts, so the tasks of one deployment agree, but the task " +
				"definition itself does not say what it runs: the next deployment, a rollback to an older revision, " +
				"or a task started outside a service gets whatever the tag points at by then. A revision that names a " +
				"digest is reproducible and can be rolled back to.",
			Remediation: "Reference the image by digest, e.g.\n" +
				"  image = \"${aws_ecr_repository.app.repository_url}@${var.image_digest}\"\n" +
				"(the digest the build produced), or pull from an ECR repository with image_tag_mutability = \"IMMUTABLE\".",
			References: []string{
				refECSImageDigest,
				"https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
				refImmutable,
			},
			ResourceTypes: []string{"aws_ecs_task_definition", "aws_ecr_repository"},
			Check:         checkECSImageDigest,
		},
	}
}

// ecsContainer is one decoded container definition.
type ecsContainer struct {
	name string
	val  cty.Value
}

// get returns the definition's value for key; cty.NilVal when absent.
func (c ecsContainer) get(key string) cty.Value { return model.Get(c.val, key) }

// what names the container in messages.
func (c ecsContainer) what() string {
	if c.name == "" {
		return "a container"
	}
	return "container " + quoted(c.name)
}

// taskContainers decodes the container definitions of a task definition.
// container_definitions is a JSON string, written with jsonencode, a
// heredoc or file(). When part of it is known only after apply (an ECR
// repository URL in an image, say) the string is unknown as a whole, but
// for jsonencode(x) the model keeps x (Attribute.Decoded), with only that
// part unknown: the rules read the rest and stay silent on the unknown part.
func taskContainers(res *model.Resource) (*model.Attribute, []ecsContainer) {
	a := res.Attr("container_definitions")
	if a == nil {
		return nil, nil
	}
	var v cty.Value
	if text, ok := a.String(); ok && a.Known() {
		if v, ok = decodeJSON(text); !ok {
			return nil, nil
		}
	} else if a.Decoded != cty.NilVal {
		v = a.Decoded
	}
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return nil, nil
	}
	v, _ = v.UnmarkDeep() // marked values panic when walked
	var out []ecsContainer
	add := func(ev cty.Value) {
		if ev.IsNull() || !ev.IsKnown() || !(ev.Type().IsObjectType() || ev.Type().IsMapType()) {
			return
		}
		name, _ := model.AsString(model.Get(ev, "name"))
		out = append(out, ecsContainer{name: name, val: ev})
	}
	ty := v.Type()
	switch {
	case ty.IsTupleType() || ty.IsListType():
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			add(ev)
		}
	default:
		add(v)
	}
	return a, out
}

// decodeJSON reads any JSON text into a cty value, so rules walk it with
// the same helpers (model.Get, model.AsBool) they use on evaluated HCL.
func decodeJSON(text string) (cty.Value, bool) {
	data := []byte(text)
	ty, err := ctyjson.ImpliedType(data)
	if err != nil {
		return cty.NilVal, false
	}
	v, err := ctyjson.Unmarshal(data, ty)
	if err != nil || v.IsNull() {
		return cty.NilVal, false
	}
	return v, true
}

// forECSContainers calls fn for each container definition of every task
// definition. All containers share the container_definitions attribute, so
// a task definition gets one result naming each container at fault.
func forECSContainers(s *model.State, fn func(res *model.Resource, c ecsContainer) (string, bool)) []Result {
	var out []Result
	for _, res := range s.OfType(taskDefinitionTypes...) {
		a, cs := taskContainers(res)
		var parts []string
		for _, c := range cs {
			if msg, hit := fn(res, c); hit {
				parts = append(parts, c.what()+" "+msg)
			}
		}
		if len(parts) > 0 {
			out = append(out, At(res, a, label(res)+" "+strings.Join(parts, "; ")))
		}
	}
	return out
}

func checkECSPrivileged(s *model.State) []Result {
	return forECSContainers(s, func(_ *model.Resource, c ecsContainer) (string, bool) {
		if v, ok := model.AsBool(c.get("privileged")); ok && v {
			return "sets privileged = true", true
		}
		return "", false
	})
}

// windowsTask reports whether the task may run Windows containers, which
// do not support a read-only root filesystem; unknown counts as maybe.
func windowsTask(res *model.Resource) bool {
	for _, rp := range res.Body.BlocksOf("runtime_platform") {
		a := rp.Attr("operating_system_family")
		if unset(a) {
			continue
		}
		fam, ok := a.String()
		if !ok || strings.HasPrefix(strings.ToUpper(fam), "WINDOWS") {
			return true
		}
	}
	return false
}

func checkECSReadOnlyRoot(s *model.State) []Result {
	return forECSContainers(s, func(res *model.Resource, c ecsContainer) (string, bool) {
		if windowsTask(res) {
			return "", false
		}
		v := c.get("readonlyRootFilesystem")
		if v == cty.NilVal || v.IsNull() {
			return "does not set readonlyRootFilesystem (default false)", true
		}
		if ro, ok := model.AsBool(v); ok && !ro {
			return "sets readonlyRootFilesystem = false", true
		}
		return "", false
	})
}

// envSecret reports why an environment variable holds a literal secret:
// a credential with a shape of its own in the value, or a secret-sounding
// name with a literal (not a reference or placeholder) value.
func envSecret(name, value string) (string, bool) {
	if ms := secrets.Find(value); len(ms) > 0 {
		return name + " (" + ms[0].Kind + ")", true
	}
	if secrets.IsSecretName(name) && secrets.IsLiteral(value) {
		return name, true
	}
	return "", false
}

func checkECSEnvSecrets(s *model.State) []Result {
	return forECSContainers(s, func(_ *model.Resource, c ecsContainer) (string, bool) {
		env := c.get("environment")
		if env == cty.NilVal || env.IsNull() || !env.IsKnown() || !env.CanIterateElements() {
			return "", false
		}
		var hits []string
		for it := env.ElementIterator(); it.Next(); {
			_, kv := it.Element()
			name, ok1 := model.AsString(model.Get(kv, "name"))
			value, ok2 := model.AsString(model.Get(kv, "value"))
			if !ok1 || !ok2 {
				continue
			}
			if hit, ok := envSecret(name, value); ok {
				hits = append(hits, hit)
			}
		}
		switch len(hits) {
		case 0:
			return "", false
		case 1:
			return "environment variable " + hits[0] + " holds a literal secret", true
		default:
			return "environment variables " + joinAnd(hits) + " hold literal secrets", true
		}
	})
}

// ecsImage is a container image reference split into its parts:
// [registry/]repository[:tag][@digest].
type ecsImage struct {
	registry, repository, tag, digest string
}

func parseECSImage(s string) ecsImage {
	var r ecsImage
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s, r.digest = s[:i], s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.Contains(s[i:], "/") {
		s, r.tag = s[:i], s[i+1:]
	}
	// The first component is a registry host when it looks like one.
	if i := strings.IndexByte(s, '/'); i >= 0 {
		if first := s[:i]; strings.ContainsAny(first, ".:") || first == "localhost" {
			r.registry, s = first, s[i+1:]
		}
	}
	r.repository = s
	return r
}

var ecrRegistry = regexp.MustCompile(`^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$`)

// immutableECRRepo reports whether the image comes from an ECR repository
// of this configuration whose tags are immutable: there a tag names one
// image forever, as a digest does.
func immutableECRRepo(s *model.State, img ecsImage) bool {
	if !ecrRegistry.MatchString(img.registry) {
		return false
	}
	for _, repo := range s.OfType("aws_ecr_repository") {
		name, ok := repo.Attr("name").String()
		if !ok || name != img.repository {
			continue
		}
		if m, ok := repo.Attr("image_tag_mutability").String(); ok && strings.EqualFold(m, "IMMUTABLE") {
			return true
		}
	}
	return false
}

func checkECSImageDigest(s *model.State) []Result {
	return forECSContainers(s, func(_ *model.Resource, c ecsContainer) (string, bool) {
		image, ok := model.AsString(c.get("image"))
		if !ok || strings.TrimSpace(image) == "" {
			return "", false
		}
		img := parseECSImage(image)
		if img.digest != "" || immutableECRRepo(s, img) {
			return "", false
		}
		if img.tag == "" {
			return "image " + quoted(image) + " has neither tag nor digest, so it runs whatever \"latest\" is at launch", true
		}
		return "image " + quoted(image) + " is referenced by the tag " + quoted(img.tag) + ", not by a digest", true
	})
}
