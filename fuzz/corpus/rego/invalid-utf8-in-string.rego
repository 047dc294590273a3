package p

x := "û\nabc"
