package p
x := units.parse(concat("", ["1.", concat("", [s | some _ in numbers.range(1, 100000); s := "7777777777"])]))
