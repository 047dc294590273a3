package p
nodes := [sprintf("%d", [i]) | some i in numbers.range(0, 2000)]
x := count(graph.reachable({n: nodes | some n in nodes}, ["0"]))
