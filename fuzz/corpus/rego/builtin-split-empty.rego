package p
x := count(split(concat("", [s | some _ in numbers.range(1, 100000); s := "abcdefghij"]), ""))
y := replace(concat("", [s | some _ in numbers.range(1, 100000); s := "abcdefghij"]), "", "0123456789")
