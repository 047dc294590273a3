package p
x := count(urlquery.encode_object({concat("", ["k" | some _ in numbers.range(1, 1000000)]): ["v" | some _ in numbers.range(1, 100000)]}))
