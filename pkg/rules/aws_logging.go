package rules

func awsLoggingRules() []*Rule {
	return nil
}
