package p
nodes := [sprintf("%d", [i]) | some i in numbers.range(0, 12)]
x := count(graph.reachable_paths({n: nodes | some n in nodes}, ["0"]))
