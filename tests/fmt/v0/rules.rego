package v0.rules

default allow = false

allow { input.user == "admin" }

deny[msg] { some_check; msg := "no" }

obj[k] = v { k := "a"; v := 1 }

partial_obj["why"] = true { false }

f(x) = y {
  y := x + 1
}

g(x) := 1 {
	x.a
} else := 2 {
	x.b
} else = 3

# the value of an else is placed at the else: a comment between goes to the body
h = 1 {
	false
} # first
else  =
# second
2
{
	true
} else = 3 { false }

add {
    plus(1, 2, 3)
}

collection {
	z = { "a": "b", # on the opening row
		"c": "d",
	}
}
