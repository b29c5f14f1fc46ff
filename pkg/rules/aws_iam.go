package rules

func awsIAMRules() []*Rule {
	return nil
}
