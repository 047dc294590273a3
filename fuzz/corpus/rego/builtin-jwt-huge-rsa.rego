package p
n := base64url.encode_no_pad(concat("", ["\u00c5" | some _ in numbers.range(1, 6250)]))
x := io.jwt.encode_sign({"alg": "RS256"}, {}, {"kty": "RSA", "n": n, "e": "AQAB", "d": n})
