package lits

raw := `a\b "c"`
multi := `line one
line two`
escaped := "tab\there \u0041 \/ \u00e9 \"q\""
nums := [1, 1.0, 1e3, -2.5E-3, 0.1]
refs := input["a"]["not-ident"].b["default"]
kw := input.default
