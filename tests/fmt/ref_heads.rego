package refheads

a.b.c = "x" if true
a.b.d contains y if { y := "z" }
q[1] = y if { y := 2 }
p.r[x] if x := 10
