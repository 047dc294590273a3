package a

x := 3

p := $"a {  x + 1 } b \{lit\} {$"in {x}"}"

q := $`raw {x}
line`
