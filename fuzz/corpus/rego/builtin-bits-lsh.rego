package p
x := count(format_int(bits.lsh(1, 16777216), 2))
