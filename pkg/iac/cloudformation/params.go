package cloudformation

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ReadParams reads a parameter file for --cfn-params. Three shapes are
// accepted, in JSON or YAML: an object of names to values
// ({"Env": "prod"}), the AWS CLI's list
// ([{"ParameterKey": "Env", "ParameterValue": "prod"}]), and a CodePipeline
// template configuration ({"Parameters": {"Env": "prod"}}). List values
// are joined with commas, as CommaDelimitedList parameters are written.
func ReadParams(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read CloudFormation parameters: %w", err)
	}
	var raw any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		line, msg := syntaxError(data, err)
		if line > 0 {
			return nil, fmt.Errorf("%s:%d: %s", path, line, msg)
		}
		return nil, fmt.Errorf("%s: %s", path, msg)
	}
	out, err := paramsOf(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

const paramShapes = `want {"Name": "value"} or [{"ParameterKey": "Name", "ParameterValue": "value"}]`

func paramsOf(raw any) (map[string]string, error) {
	out := map[string]string{}
	switch v := raw.(type) {
	case nil:
		return out, nil
	case map[string]any:
		if inner, ok := v["Parameters"].(map[string]any); ok && len(v) <= 3 {
			v = inner // CodePipeline: {Parameters, Tags, StackPolicy}
		}
		for _, k := range sortedKeys(v) {
			s, err := paramString(v[k])
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %w", k, err)
			}
			out[k] = s
		}
	case []any:
		for i, item := range v {
			m, ok := item.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("element %d is not an object; %s", i, paramShapes)
			}
			k, ok := m["ParameterKey"].(string)
			if !ok || k == "" {
				return nil, fmt.Errorf("element %d has no ParameterKey", i)
			}
			if m["UsePreviousValue"] == true {
				continue // the deployed value, which a scan cannot know
			}
			s, err := paramString(m["ParameterValue"])
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %w", k, err)
			}
			out[k] = s
		}
	default:
		return nil, fmt.Errorf("not a parameter file; %s", paramShapes)
	}
	return out, nil
}

func paramString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, err := paramString(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("value is not a string, number, bool or list")
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
