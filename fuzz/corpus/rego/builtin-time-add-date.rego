package p
x := time.add_date(0, 1099511627776, 0, 0)
