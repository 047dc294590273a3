package grouping

x := 1
y := 2

z := 3
s contains 1
s contains 2
r if input.a == 1
r if input.b == 1
long if {
  input.a
  input.b
}
short if input.c
set_body if { {1, 2} }
empty_set_body if { set() }
