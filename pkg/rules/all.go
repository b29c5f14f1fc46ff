package rules

// All returns every built-in rule, in ID order. Each family lives in its own
// file and contributes one list here.
func All() []*Rule {
	var all []*Rule
	for _, family := range [][]*Rule{
		awsNetworkRules(),
		awsComputeRules(),
		awsStorageRules(),
		awsIAMRules(),
		awsLoggingRules(),
		kubernetesRules(),
		dockerRules(),
		awsImageRules(),
		awsContainerRules(),
		awsDataRules(),
		awsEdgeRules(),
	} {
		all = append(all, family...)
	}
	sortByID(all)
	return all
}
