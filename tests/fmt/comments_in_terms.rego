package comments_in_terms

# an interior comment in an object kept on one line: written as in the source
settings := {
    # turn it on
    "enabled": true,
}

labels := {
  "team": "a" # the owning team
}

# two comments for one output line: the outermost term is kept as written
pair := {"a":  # first
"b"} # second

# a comment that can move to the line's end moves there
single := {"a":  # only
"b"}

allow if {
	x := [v | v := {"a": # one
        {"b": # two
        "c"}}] # three
	count(x) > 0
}

# several rows of elements: comments between them stay on their own lines
spread := {
	"a": 1,
	# b next
	"b": 2,
}

msg := $"{# who
   input.user} did {# what
input.action
# more
}"
