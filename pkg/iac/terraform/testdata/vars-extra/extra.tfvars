from_varfile = "varfile"
from_var     = "varfile"
