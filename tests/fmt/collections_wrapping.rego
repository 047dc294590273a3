package wrap

one_line := [1,2,   3]
rows := [1, 2,
  3, 4]
below_bracket := [
  1, 2, 3]
obj := {"a": 1,
  "b": [1,
  2]}
call_one_row := concat(
  ",", ["a", "b"]
)
call_rows := concat(",",
  ["a", "b"])
f(
  a,
  b,
) := a + b
