package rules

import (
	"strings"

	"github.com/fixity-sec/fixity/pkg/finding"
	"github.com/fixity-sec/fixity/pkg/iac/model"
)

// Edge rules: the ways in from the internet that bypass the load balancers
// and security groups of the network rules: function permissions and CDN
// distributions.

const (
	refLambdaControls     = "https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html"
	refLambdaResPolicy    = "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html"
	refCloudFrontControls = "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html"
)

func awsEdgeRules() []*Rule {
	return []*Rule{
		{
			ID:       "FX-AWS-094",
			Severity: finding.High,
			Title:    "Lambda permission lets any principal invoke the function",
			Why: "principal = \"*\" without source_arn, source_account or principal_org_id adds a statement to the " +
				"function's resource policy that lets every AWS account, and for a function URL with auth type NONE " +
				"everyone on the internet, invoke it. The function's own role then works for whoever calls it.",
			Remediation: "Name the caller: a service principal with the resource that calls, e.g.\n" +
				"  principal  = \"s3.amazonaws.com\"\n  source_arn = aws_s3_bucket.uploads.arn\n" +
				"an account ID, or principal_org_id = \"o-...\" for the whole organisation. For a public function URL, " +
				"use authorization_type = \"AWS_IAM\" behind CloudFront with origin access control.",
			References:    []string{refLambdaResPolicy, refLambdaControls},
			ResourceTypes: []string{"aws_lambda_permission"},
			Check:         checkLambdaPermissionAnyone,
		},
		{
			ID:       "FX-AWS-095",
			Severity: finding.Medium,
			Title:    "CloudFront distribution allows plain HTTP",
			Why: "viewer_protocol_policy = \"allow-all\" serves the cache behavior over plain HTTP as well as HTTPS, so " +
				"pages, cookies and tokens can be read and content replaced on the way to the viewer, whatever the " +
				"origin does.",
			Remediation: "Set `viewer_protocol_policy = \"redirect-to-https\"` (or \"https-only\") in " +
				"default_cache_behavior and every ordered_cache_behavior.",
			References: []string{
				"https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html",
				refCloudFrontControls,
			},
			ResourceTypes: []string{"aws_cloudfront_distribution"},
			Check:         checkCloudFrontAllowAll,
		},
	}
}

func checkLambdaPermissionAnyone(s *model.State) []Result {
	var out []Result
	for _, r := range s.OfType("aws_lambda_permission") {
		a := r.Attr("principal")
		if p, ok := a.String(); !ok || p != "*" {
			continue
		}
		// Any of these narrows the callers, even when its value is unknown.
		if !unset(r.Attr("source_arn")) || !unset(r.Attr("source_account")) || !unset(r.Attr("principal_org_id")) {
			continue
		}
		action, ok := r.Attr("action").String()
		if !ok {
			action = "the function"
		} else {
			action = quoted(action)
		}
		msg := label(r) + " allows principal \"*\" to call " + action + " without source_arn, source_account or principal_org_id"
		// With AWS_IAM, "*" still means any AWS account's signed request.
		if t, ok := r.Attr("function_url_auth_type").String(); ok && strings.EqualFold(t, "NONE") {
			msg += ": the function URL is open to the internet"
		}
		out = append(out, At(r, a, msg))
	}
	return out
}

func checkCloudFrontAllowAll(s *model.State) []Result {
	var rs resultSet
	flag := func(r *model.Resource, b *model.Block, where string) {
		a := b.Attr("viewer_protocol_policy")
		if v, ok := a.String(); ok && v == "allow-all" {
			rs.add(At(r, a, label(r)+" "+where+" sets viewer_protocol_policy = \"allow-all\""))
		}
	}
	for _, r := range s.OfType("aws_cloudfront_distribution") {
		for _, b := range r.Body.BlocksOf("default_cache_behavior") {
			flag(r, b, "default_cache_behavior")
		}
		for _, b := range r.Body.BlocksOf("ordered_cache_behavior") {
			where := "ordered_cache_behavior"
			if p, ok := b.Attr("path_pattern").String(); ok {
				where += " " + quoted(p)
			}
			flag(r, b, where)
		}
	}
	return rs.list
}
