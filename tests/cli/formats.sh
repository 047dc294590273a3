# End-to-end: the -f/--format output styles of `wartburg eval` (values,
# bindings, raw, pretty, discard), printed as opa eval prints them.
source "$(dirname "$0")/testlib.bash"

# values: one JSON array of expression values per result.
run eval -f values 'x := 1; y := "two"'
expect_rc 0
expect_out '[
  true,
  true
]'
run eval --format=values '[10, 20][_]'
expect_out '[
  10
]
[
  20
]'
run eval -f values '1 = 2'
expect_out ''

# bindings: one JSON object per result.
run eval -f bindings 'x := 1; y := "two"'
expect_rc 0
expect_out '{
  "x": 1,
  "y": "two"
}'
run eval -fbindings 'some k in ["a", "b"]'
expect_out '{
  "k": "a"
}
{
  "k": "b"
}'

# raw: strings unquoted, other values as compact JSON, one line per result.
run eval -f raw '"hello, world"'
expect_rc 0
expect_out 'hello, world'
run eval -f raw '{"a": [1, 2], "b": "<x>"}'
expect_out '{"a":[1,2],"b":"\u003cx\u003e"}'
run eval -f raw '["x", "y"][_]'
expect_out $'x\ny'
run eval -f raw '"a"; 2'
expect_out 'a 2'

# pretty: a single value as indented JSON, "undefined", or a table.
run eval -f pretty '{"a": [1]}'
expect_rc 0
expect_out '{
  "a": [
    1
  ]
}'
run eval -f pretty 'true; true'
expect_out 'true'
run eval -f pretty '1 = 2'
expect_out 'undefined'
run eval -f pretty '1 == 2'
expect_out 'false'
run eval -f pretty 'some x in ["a", "b"]'
expect_grep out '|  x  |'
expect_grep out '| "a" |'
expect_grep out '| "b" |'

# discard: the result replaced by "discarded".
run eval -f discard 'x := 1'
expect_out '{
  "result": "discarded"
}'

# Errors in text formats go to stderr as opa prints them.
printf 'package p\n\np := \n' >bad.rego
run eval -f raw -d bad.rego data
expect_rc 1
expect_out ''
expect_grep err "1 error occurred: bad.rego:"
expect_grep err "rego_parse_error"

finish
