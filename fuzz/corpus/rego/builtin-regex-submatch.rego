package p
x := count(regex.find_all_string_submatch_n(concat("", ["()" | some _ in numbers.range(1, 500)]), concat("", ["a" | some _ in numbers.range(1, 1000000)]), -1))
