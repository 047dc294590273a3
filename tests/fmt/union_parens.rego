package unions

s1 := {1}
s2 := {2}
in_set := {or(s1, s2)}
in_array := [or(s1, s2), s1]
in_object := {"k": or(s1, s2)}
as_value := or(s1, s2)
as_arg := count(or(s1, s2))
redundant := {((s1 | s2))}
intersection := {and(s1, s2)}
lead if {
  (s1 | s2) == {1, 2}
  (s1 | s2) == {1, 2}
}
