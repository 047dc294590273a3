package prices

# a call written in parentheses as a comprehension head keeps them
totals := {item: (price * 2) | some item, price in input.prices}

doubled := [(n * 2) | some n in input.numbers]

sizes := {(count(x)) | some x in input.lists}

# plain heads stay plain
names := [n | some n in input.names]

gross := {item: price |
	some item, price in input.prices
}
