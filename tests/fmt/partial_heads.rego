package partials

obj[k] = v if { k := "a"; v := 1 }
obj["b"] := 2
set_rule contains x if { x := 1 }
