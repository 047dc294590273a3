package p
x := json.filter({"a": 1}, [[0 | some _ in numbers.range(1, 1000000)]])
