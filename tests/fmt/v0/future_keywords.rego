package v0.future

import future.keywords

deny[msg] { msg := "x" }

r[x] if x := 10

allow if { every x in input.xs { x > 0 } }

p = 1 if { true; input.y }
q = 2 { true; input.z }
