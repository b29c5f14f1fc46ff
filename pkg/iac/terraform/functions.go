package terraform

import (
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	ctyyaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions builds Terraform's function table for one run. It is the one
// place the table is put together; the file functions are bound to the run
// because Terraform resolves relative paths against its working directory
// (the root module) and fixity only reads files inside what it scans.
func (r *run) functions() map[string]function.Function {
	fs := map[string]function.Function{
		// Numeric.
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,
		"sum":      sumFunc,

		// Strings.
		"chomp":       stdlib.ChompFunc,
		"endswith":    endsWithFunc,
		"format":      stdlib.FormatFunc,
		"formatlist":  stdlib.FormatListFunc,
		"indent":      stdlib.IndentFunc,
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     replaceFunc,
		"split":       stdlib.SplitFunc,
		"startswith":  startsWithFunc,
		"strcontains": strContainsFunc,
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,

		// Collections.
		"alltrue":         allTrueFunc,
		"anytrue":         anyTrueFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        stdlib.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"index":           indexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"lookup":          lookupFunc,
		"matchkeys":       matchKeysFunc,
		"merge":           stdlib.MergeFunc,
		"one":             oneFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      setProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"transpose":       transposeFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,

		// Encoding.
		"base64decode":     base64DecodeFunc,
		"base64encode":     base64EncodeFunc,
		"base64gzip":       base64GzipFunc,
		"csvdecode":        stdlib.CSVDecodeFunc,
		"jsondecode":       stdlib.JSONDecodeFunc,
		"jsonencode":       stdlib.JSONEncodeFunc,
		"textdecodebase64": unknownFunc(cty.String, 2),
		"textencodebase64": unknownFunc(cty.String, 2),
		"urlencode":        urlEncodeFunc,
		"yamldecode":       ctyyaml.YAMLDecodeFunc,
		"yamlencode":       ctyyaml.YAMLEncodeFunc,
		"base64sha256":     hashFunc(sha256Sum, true),
		"base64sha512":     hashFunc(sha512Sum, true),
		"md5":              hashFunc(md5Sum, false),
		"sha1":             hashFunc(sha1Sum, false),
		"sha256":           hashFunc(sha256Sum, false),
		"sha512":           hashFunc(sha512Sum, false),
		"bcrypt":           unknownVarFunc(cty.String),
		"rsadecrypt":       unknownFunc(cty.String, 2),
		"uuid":             unknownFunc(cty.String, 0),
		"uuidv5":           unknownFunc(cty.String, 2),
		"timestamp":        unknownFunc(cty.String, 0),
		"plantimestamp":    unknownFunc(cty.String, 0),
		"formatdate":       stdlib.FormatDateFunc,
		"timeadd":          stdlib.TimeAddFunc,
		"timecmp":          timeCmpFunc,
		"tostring":         stdlib.MakeToFunc(cty.String),
		"tonumber":         stdlib.MakeToFunc(cty.Number),
		"tobool":           stdlib.MakeToFunc(cty.Bool),
		"tolist":           stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset":            stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tomap":            stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try":              tryfunc.TryFunc,
		"can":              tryfunc.CanFunc,
		"sensitive":        identityFunc,
		"nonsensitive":     identityFunc,
		"ephemeralasnull":  identityFunc,
		"issensitive":      isSensitiveFunc,
		"type":             unknownFunc(cty.DynamicPseudoType, 1),
		"abspath":          absPathFunc,
		"basename":         baseNameFunc,
		"dirname":          dirNameFunc,
		"pathexpand":       pathExpandFunc,
		"cidrhost":         cidrHostFunc,
		"cidrnetmask":      cidrNetmaskFunc,
		"cidrsubnet":       cidrSubnetFunc,
		"cidrsubnets":      cidrSubnetsFunc,
		"file":             r.fileFunc(readText),
		"filebase64":       r.fileFunc(readBase64),
		"filemd5":          r.fileFunc(fileHash(md5Sum, false)),
		"filesha1":         r.fileFunc(fileHash(sha1Sum, false)),
		"filesha256":       r.fileFunc(fileHash(sha256Sum, false)),
		"filesha512":       r.fileFunc(fileHash(sha512Sum, false)),
		"filebase64sha256": r.fileFunc(fileHash(sha256Sum, true)),
		"filebase64sha512": r.fileFunc(fileHash(sha512Sum, true)),
		"fileexists":       r.fileExistsFunc(),
		"fileset":          r.fileSetFunc(),
		"templatestring":   unknownFunc(cty.String, 2),
	}
	fs["templatefile"] = r.templateFileFunc(func() map[string]function.Function {
		// A template may call every function except templatefile itself,
		// as in Terraform.
		inner := make(map[string]function.Function, len(fs))
		for k, v := range fs {
			if k != "templatefile" {
				inner[k] = v
			}
		}
		return inner
	})
	return fs
}
