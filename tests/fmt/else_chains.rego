package chains

# an else on the line where the chain starts goes to a line of its own
a := 1 if { input.x } else := 2 if { input.y } else := 3

b := 1 if {
  input.x
  input.z
} else := 2 if {
  input.y
} else := 3

c := "one" if {
  input.x
}
else := "two"

# a value true is implied, the else keeps no := true
d if {
	input.x
} else := true if {
	input.y
}

f(x) := "neg" if {
  x < 0
} else := "pos" if { x > 0 }
