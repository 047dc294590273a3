package p
nets := [sprintf("10.%d.%d.0/8", [floor(i / 256), i % 256]) | some i in numbers.range(1, 3000)]
ips := [sprintf("10.0.%d.%d", [floor(i / 256), i % 256]) | some i in numbers.range(1, 3000)]
x := count(net.cidr_contains_matches(nets, ips))
