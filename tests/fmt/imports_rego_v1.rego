package imports
import rego.v1 # kept: it is not implied for older OPA versions
import future.keywords.in # dropped: rego.v1 covers it
import data.zeta
import data.alpha as a
import input.user

import data.lib.b
import data.lib.a
allow if input.user in {"alice"}
