package p
a := [i | some i in numbers.range(1, 1000000)]
b := array.concat(a, a)
c := array.concat(b, b)
d := array.concat(c, c)
e := array.concat(d, d)
x := count(array.concat(e, e))
