package p
x := count(regex.replace(concat("", ["a" | some _ in numbers.range(1, 1000000)]), "", "0123456789012345678901234567890123456789"))
