package test.meta.defaults

deny contains "d" if true

warn contains "w" if true
