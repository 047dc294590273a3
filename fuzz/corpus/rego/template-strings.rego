package a

x := 3

p := $"a {  x + 1 } b \{lit\} {$"in {x}"}"

q := $`raw {x}
line`

r := $"{input.xs[_]} {[1 | 2, 3]}"

s if not startswith(input.missing, "a")

t := x if { x := input.y with input.y as [1, 2][_] }

u if { input.a } { input.b }
