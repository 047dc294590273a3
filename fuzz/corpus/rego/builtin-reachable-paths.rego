package p
x := count(graph.reachable_paths({sprintf("%d", [i]): [sprintf("%d", [i + 1])] | some i in numbers.range(0, 200000)}, ["0"]))
