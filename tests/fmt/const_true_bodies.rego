package consts

p if true
q := 3 if { true }
s contains "v" if true
t.u.v if true
w := true if input.x
default z := true
