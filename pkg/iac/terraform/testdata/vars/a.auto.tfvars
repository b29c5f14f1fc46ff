from_auto    = "a.auto"
from_varfile = "a.auto"
from_var     = "a.auto"
