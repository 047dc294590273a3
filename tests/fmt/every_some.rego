package loops

p if {
  some x in input.xs
  some k, v in input.obj
  some i
  input.arr[i] == 1
  every y in input.ys { y > 0 }
  every k2, v2 in input.obj { k2 != v2; v2 > 1 }
  every z in input.zs {
    z > 0
  }
}

decls if {
  some a, b, # first
    c # second
  a = b; b = c
}
