from_tfvars      = "tfvars"
from_tfvars_json = "tfvars"
from_auto        = "tfvars"
from_varfile     = "tfvars"
from_var         = "tfvars"
cidrs            = ["10.0.0.0/8"]
