package p
x := yaml.marshal(json.unmarshal(concat("", [concat("", ["{\"a\":" | some _ in numbers.range(1, 10000)]), "1", concat("", ["}" | some _ in numbers.range(1, 10000)])])))
