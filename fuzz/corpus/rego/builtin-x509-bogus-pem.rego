package p
x := crypto.x509.parse_certificates(concat("", ["-----BEGIN X-----\n" | some _ in numbers.range(1, 100000)]))
