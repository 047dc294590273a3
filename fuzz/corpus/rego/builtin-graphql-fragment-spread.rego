package p
q := concat("", ["query { ", concat("", ["q { x ...F } " | some _ in numbers.range(1, 20000)]), "} fragment F on Query { ", concat("", ["x " | some _ in numbers.range(1, 50000)]), "}"])
x := graphql.is_valid(q, "type Query { q: Query x: Int }")
