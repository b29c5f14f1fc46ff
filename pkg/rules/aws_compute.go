package rules

func awsComputeRules() []*Rule {
	return nil
}
