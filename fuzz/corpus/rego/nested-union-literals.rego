package p
q := [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, [a | b, 1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
