package p
x := object.union_n([{sprintf("k%d", [i]): i} | some i in numbers.range(1, 100000)])
