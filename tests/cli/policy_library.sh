# The policy library in policies/: every test passes with `wartburg test`,
# coverage is at least 90 %, `wartburg check --strict` finds no errors and
# `wartburg fmt --fail` finds nothing to reformat.
source "$(dirname "$0")/testlib.bash"

run test "$ROOT/policies"
expect_rc 0
expect_grep out "PASS: "
run test --threshold 90 "$ROOT/policies"
expect_rc 0
run check "$ROOT/policies"
expect_rc 0
expect_out ""
run check --strict "$ROOT/policies"
expect_rc 0
expect_out ""
run fmt --fail -l "$ROOT/policies"
expect_rc 0
expect_out ""

finish
