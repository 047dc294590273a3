package p
x := strings.render_template("{{range $.a}}{{range $.a}}{{range $.a}}x{{end}}{{end}}{{end}}", {"a": numbers.range(1, 1000)})
