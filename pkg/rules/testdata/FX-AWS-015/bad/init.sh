#!/bin/bash
mysql --user=app --password=Tr0ub4dor -e 'select 1'
