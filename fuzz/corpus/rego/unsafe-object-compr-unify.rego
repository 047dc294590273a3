package p
q if { l = {s: x | x = data.a[_]; sum(x, 10, s)} }
