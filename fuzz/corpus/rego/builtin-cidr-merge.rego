package p
x := count(net.cidr_merge([sprintf("10.%d.%d.0/24", [floor(i / 256), i % 256]) | some i in numbers.range(0, 65535)]))
