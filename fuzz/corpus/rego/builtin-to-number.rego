package p
x := to_number(concat("", ["1.", concat("", [s | some _ in numbers.range(1, 100000); s := "3333333333"])]))
