package ocompr

p := {
  k: v | some k, v in input.o
}
q := {k: v | some k, v in input.o}
r := [x |
  some x in input.xs
  x > 1]
