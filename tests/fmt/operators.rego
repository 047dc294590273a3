package ops

a := 1 + 2 * 3
b := (1 + 2) * 3
c := 10 - (4 - 3)
d := plus(1, 2)
e(x) = x % 2 == 0
p if {
  x := a + b * c
  x > (a + 1)
  count(input.xs) - 1 > 0
  y := [z | some z in input.xs; z * 2 > 3]
}
