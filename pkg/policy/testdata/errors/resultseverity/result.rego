package test.resultseverity

deny contains {"msg": "m", "severity": "terrible"} if true
