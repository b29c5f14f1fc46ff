package rules

func awsNetworkRules() []*Rule {
	return nil
}
