package withs

f(x) := x

p if {
  f(1) == 1   with input.a as 1  with data.b as 2
  f(2) == 2
    with input.a as {"k": "v"}
  f(3) == 3 with input.a as 1
      with f as 3
}
