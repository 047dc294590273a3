package p
x := 1e49999 * 1e49999 * 1e49999 * 1e49999
