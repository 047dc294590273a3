package p
x := regex.globs_match(concat("", ["a" | some _ in numbers.range(1, 200000)]), concat("", ["a" | some _ in numbers.range(1, 200000)]))
