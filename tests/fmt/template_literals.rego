package greet

# literal parts written as expressions become text
banner := $"{"Hello"}, {`world`}: {3} {2.5} {false} {null}"

# a string that would need escaping stays an expression
braces := $"{"{x}"} and {name}"

# multi-line expressions are indented below the string
listing := $"items: {[
	"a",
	"b",
]}"
