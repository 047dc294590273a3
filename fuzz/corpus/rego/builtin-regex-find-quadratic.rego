package p
x := count(regex.find_n("a*b|a", concat("", ["a" | some _ in numbers.range(1, 1000000)]), -1))
