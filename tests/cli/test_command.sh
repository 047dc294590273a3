# End-to-end: `wartburg test` as `opa test`: pretty output (failures,
# print() output of failing tests, skipped todo_ tests, erroring tests,
# summary), -v, --run, --format json, --coverage / --threshold, exit codes,
# syntax errors, data files, bundle mode and usage errors.
source "$(dirname "$0")/testlib.bash"

HL=--------------------------------------------------------------------------------

mkdir -p pol
cat >pol/authz.rego <<'REGO'
package authz

default allow := false

allow if {
	input.method == "GET"
	input.user in data.users
}

conflict = 1 if input.a
conflict = 2 if input.a
REGO
cat >pol/authz_test.rego <<'REGO'
package authz_test

import data.authz

test_get_allowed if {
	authz.allow with input as {"method": "GET", "user": "alice"}
}

test_get_denied if {
	print("checking", "bob")
	authz.allow with input as {"method": "GET", "user": "bob"}
}

todo_test_later if {
	false
}

test_conflict if {
	authz.conflict with input as {"a": true}
}

test_helper(x) if x == 1
REGO
echo '{"users": ["alice"]}' >pol/data.json

# Default output: only the tests that did not pass, print() output of the
# failing one, the error of the erroring one, then the summary. Exit 2.
run test pol
expect_rc 2
expect_grep out "pol/authz_test.rego:"
expect_grep out "data.authz_test.test_get_denied: FAIL ("
expect_grep out "  checking bob"
expect_grep out "data.authz_test.todo_test_later: SKIPPED"
expect_grep out "data.authz_test.test_conflict: ERROR ("
expect_grep out "  pol/authz.rego:11: eval_conflict_error: rule data.authz.conflict produced conflicting values"
grep -q "test_get_allowed" <<<"$OUT" && fail "passing test listed without -v"
grep -q "test_helper" <<<"$OUT" && fail "function test_helper treated as a test"
[[ "$(tail -n 5 <<<"$OUT")" == "$HL
PASS: 1/4
FAIL: 1/4
SKIPPED: 1/4
ERROR: 1/4" ]] || fail "unexpected summary"
# Layout: the file header, then the failing test, its indented output, a blank line.
[[ "$(head -n 5 <<<"$OUT" | sed -E 's/\([^)]*\)/(D)/' | tr '\n' '|')" == "pol/authz_test.rego:|data.authz_test.test_get_denied: FAIL (D)||  checking bob||" ]] ||
  fail "unexpected layout of the failing test"

# -v: FAILURES section with the failing test's location, then every test with
# its duration (Go duration text).
run test -v pol
expect_rc 2
[[ "$(head -n 2 <<<"$OUT")" == "FAILURES
$HL" ]] || fail "-v starts with FAILURES"
expect_grep out "  pol/authz_test.rego:9:"
expect_grep out "SUMMARY"
grep -Eq '^data\.authz_test\.test_get_allowed: PASS \([0-9.]+(ns|µs|ms|s)\)$' <<<"$OUT" ||
  fail "-v lists passing tests with durations"
grep -Eq '^data\.authz_test\.test_get_denied: FAIL \([0-9.]+(ns|µs|ms|s)\)$' <<<"$OUT" ||
  fail "-v lists failing tests with durations"
expect_grep out "  checking bob"

# All passing: just the summary, exit 0.
run test --run 'test_get_allowed$' pol
expect_rc 0
expect_out "PASS: 1/1"

# --run filters on the full name (unanchored regular expression).
run test -r 'authz_test\.test_get' pol
expect_rc 2
expect_grep out "FAIL: 1/2"
expect_grep out "PASS: 1/2"
run test -r 'no_such_test' pol
expect_rc 0
expect_out ""
run test -r '(' pol
expect_rc 1
expect_grep err "error parsing regexp"

# --format json: OPA's array of results.
run test --format json pol
expect_rc 2
expect_json 'isinstance(d, list) and len(d) == 4'
expect_json '[r["name"] for r in d] == ["test_get_allowed", "test_get_denied", "todo_test_later", "test_conflict"]'
expect_json 'all(r["package"] == "data.authz_test" for r in d)'
expect_json 'd[0]["location"] == {"file": "pol/authz_test.rego", "row": 5, "col": 1}'
expect_json '"fail" not in d[0] and "error" not in d[0] and isinstance(d[0]["duration"], int)'
expect_json 'd[1]["fail"] is True'
expect_json '__import__("base64").b64decode(d[1]["output"]) == b"checking bob\n"'
expect_json 'd[2]["skip"] is True and d[2]["duration"] == 0'
expect_json 'd[3]["error"]["code"] == "eval_conflict_error" and d[3]["error"]["location"]["row"] == 11'
expect_json 'list(d[1]) == ["location", "package", "name", "fail", "duration", "output"]'

# --coverage: OPA's report; consecutive rows merge into ranges.
mkdir -p cov
printf 'package p\n\nallow if {\n\tinput.x > 0\n}\n\ndeny if {\n\tinput.x < 0\n\tinput.y < 0\n}\n' >cov/p.rego
printf 'package p_test\n\ntest_allow if {\n\tdata.p.allow with input as {"x": 1}\n}\n' >cov/p_test.rego
run test --coverage cov
expect_rc 0
expect_json 'd["files"]["cov/p.rego"]["covered"] == [{"start": {"row": 3}, "end": {"row": 4}}]'
expect_json 'd["files"]["cov/p.rego"]["not_covered"] == [{"start": {"row": 7}, "end": {"row": 9}}]'
expect_json 'd["files"]["cov/p.rego"]["covered_lines"] == 2 and d["files"]["cov/p.rego"]["not_covered_lines"] == 3'
expect_json 'd["files"]["cov/p.rego"]["coverage"] == 40'
expect_json 'd["files"]["cov/p_test.rego"] == {"covered": [{"start": {"row": 3}, "end": {"row": 4}}], "covered_lines": 2, "coverage": 100}'
expect_json 'd["covered_lines"] == 4 and d["not_covered_lines"] == 3 and abs(d["coverage"] - 400 / 7) < 1e-9'
expect_json 'list(d) == ["files", "covered_lines", "not_covered_lines", "coverage"]'

# --threshold: below it, exit 2 and say so (no report); -v names the lines.
run test --coverage --threshold 100 cov
expect_rc 2
expect_grep err "Code coverage threshold not met: got 57.14 instead of 100.00"
run test -v --threshold 100 cov
expect_rc 2
expect_grep err "Lines not covered:"
expect_grep err "cov/p.rego:7-9"
run test --threshold 50 cov
expect_rc 0
expect_json 'd["coverage"] > 50'
run test --threshold 120 cov
expect_rc 1
expect_grep err "Code coverage threshold must be between 0 and 100"

# --coverage with failing tests: the failures instead of the report.
run test --coverage -r test_get pol
expect_rc 1
expect_grep out "data.authz_test.test_get_denied: FAIL"

# Syntax errors stop the run: file:row, code and message; exit 1.
mkdir -p bad
printf 'package b\n\ntest_x if {\n  input.x ==\n}\n' >bad/b_test.rego
run test bad
expect_rc 1
expect_grep err "bad/b_test.rego:"
expect_grep err "rego_parse_error"
expect_out ""

# Rego v0 modules need --v0-compatible.
mkdir -p v0
printf 'package v\n\np { true }\n\ntest_p { p }\n' >v0/v.rego
run test v0
expect_rc 1
expect_grep err "rego_parse_error"
run test --v0-compatible v0
expect_rc 0
expect_out "PASS: 1/1"

# -z: skipped tests do not fail the run.
run test -r todo pol
expect_rc 2
run test -z -r todo pol
expect_rc 0

# Bundle mode: the folder is a bundle (data.json placed at its path).
run test -b -r test_get_allowed pol
expect_rc 0
expect_out "PASS: 1/1"

# Usage errors.
run test
expect_rc 1
expect_grep err "specify at least one file"
run test --no-such-flag pol
expect_rc 1
expect_grep err "unknown flag: --no-such-flag"
run test --timeout 5x pol
expect_rc 1
expect_grep err 'invalid duration "5x"'
run test no/such/dir
expect_rc 1
expect_grep err "no/such/dir"
run test --fail-on-empty -r nothing pol
expect_rc 1
expect_grep err "no tests were run"
run test --help
expect_rc 0
expect_grep out "wartburg test <path>"

finish
