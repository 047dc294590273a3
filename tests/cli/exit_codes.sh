# End-to-end: exit status of `wartburg eval` as opa eval's: 0 on success
# (defined or not), 1 for --fail on undefined / --fail-defined on defined
# and for usage errors, 2 when loading, compiling or evaluation fails.
source "$(dirname "$0")/testlib.bash"

run eval 'x := 1'
expect_rc 0
run eval 'x := 1' --fail
expect_rc 0
run eval 'x := 1' --fail-defined
expect_rc 1
expect_json 'd["result"][0]["bindings"] == {"x": 1}'

run eval '1 = 2'
expect_rc 0
run eval --fail '1 = 2'
expect_rc 1
expect_out '{}'
run eval --fail-defined '1 = 2'
expect_rc 0

# A false value is defined (OPA's well-known --fail gotcha).
run eval --fail '1 == 2'
expect_rc 0

# An empty set is still a defined result.
run eval --fail 'x := set()'
expect_rc 0

# Errors: exit status 2, also under --fail / --fail-defined.
printf 'package p\n\np := \n' >bad.rego
run eval -d bad.rego data --fail
expect_rc 1
run eval -d bad.rego data --fail-defined
expect_rc 1

# Usage errors: exit status 1 with a message on stderr.
run eval
expect_rc 1
expect_grep err "specify query argument or --stdin"
run eval 'x := 1' 'y := 2'
expect_rc 1
expect_grep err "specify at most one query argument"
run eval --fail --fail-defined 'x := 1'
expect_rc 1
expect_grep err "specify --fail or --fail-defined but not both"
run eval --no-such-flag 'x := 1'
expect_rc 1
expect_grep err "unknown flag: --no-such-flag"
run eval -f xml 'x := 1'
expect_rc 1
expect_grep err 'invalid argument "xml"'
run eval --timeout 5parsecs 'x := 1'
expect_rc 1
expect_grep err "invalid duration"
run eval -d
expect_rc 1
expect_grep err "flag needs an argument"
run frobnicate
expect_rc 1
expect_grep err 'unknown command "frobnicate"'

# A generous timeout does not change the result.
run eval --timeout 30s 'x := 1'
expect_rc 0
expect_json 'd["result"][0]["bindings"] == {"x": 1}'
run eval --timeout=1m30s --fail 'x := 1'
expect_rc 0

# help and version exit 0.
run --help
expect_rc 0
expect_grep out "eval"
run eval --help
expect_rc 0
expect_grep out "--data"
run version
expect_rc 0
expect_grep out "Version:"

finish
