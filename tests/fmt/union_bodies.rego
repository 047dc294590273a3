package a

lone if {x | input.a[x]}

block if {
	input.c == input.a | input.b
}

leading if {
	(input.a | input.b) == input.c
}

neg if not {1} == input.s

else_body if {
	input.z
} else if {
	input.a | input.b
}
