package p
x := json.marshal_with_options([[[[[[[[[[1]]]]]]]]]], {"indent": concat("", [" " | some _ in numbers.range(1, 1000000)])})
