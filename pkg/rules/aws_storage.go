package rules

func awsStorageRules() []*Rule {
	return nil
}
