package metadata_blocks

# METADATA
# title: first
# METADATA
# title: second
p if input = "str"

allow if {
	input.a
	# a comment between expressions: a blank line before it, as OPA
	input.b

	# already separated
	input.c
}
