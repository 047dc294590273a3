package p
x := json.patch({"a": "0123456789"}, [op | some i in numbers.range(1, 80); op := {"op": "copy", "from": "", "path": sprintf("/%d", [i % 2])}])
