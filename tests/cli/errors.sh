# End-to-end: errors from `wartburg eval` as a user meets them: syntax
# errors (rego_parse_error with file/row/col), a missing -d path or input
# file (named), malformed input (file and position), builtin errors under
# --strict-builtin-errors, conflicts at evaluation time.
source "$(dirname "$0")/testlib.bash"

# Syntax error in a module: exit 2, OPA's error document on stdout.
mkdir -p pol
printf 'package p\n\nallow if {\n  input.x ==\n}\n' >pol/syntax.rego
run eval -d pol/syntax.rego data.p.allow
expect_rc 1
expect_json 'len(d["errors"]) >= 1 and set(d) == {"errors"}'
expect_json 'd["errors"][0]["code"] == "rego_parse_error"'
expect_json 'd["errors"][0]["location"]["file"] == "pol/syntax.rego"'
expect_json 'd["errors"][0]["location"]["row"] in (4, 5) and d["errors"][0]["location"]["col"] >= 1'
expect_json 'isinstance(d["errors"][0]["message"], str) and d["errors"][0]["message"] != ""'
expect_json 'list(d["errors"][0]) == ["message", "code", "location"]'

# The same error found through a folder names the file inside it.
run eval -d pol data.p.allow
expect_rc 1
expect_json 'd["errors"][0]["location"]["file"] == "pol/syntax.rego"'

# Syntax error in the query.
run eval 'x := [1, 2'
expect_rc 1
expect_json 'd["errors"][0]["code"] == "rego_parse_error"'

# A missing -d path: exit 2, named in the error.
run eval -d no/such/policy.rego data
expect_rc 1
expect_json '"no/such/policy.rego: no such file or directory" in d["errors"][0]["message"]'

# A missing input file: exit 2, named on stderr.
run eval -i no-such-input.json input
expect_rc 1
expect_grep err "no-such-input.json: no such file or directory"

# Malformed JSON input: exit 2, the file and position named on stderr.
printf '{\n  "user": "alice",\n  "roles": [admin]\n}\n' >bad-input.json
run eval -i bad-input.json input
expect_rc 1
expect_grep err "bad-input.json"
expect_grep err "line 3, column"

# Builtin errors are undefined by default, errors with --strict-builtin-errors.
run eval 'x := 1 / 0'
expect_rc 0
expect_out '{}'
run eval --strict-builtin-errors 'x := 1 / 0'
expect_rc 1
expect_json 'd["errors"][0]["code"] == "eval_builtin_error"'
expect_json '"divide by zero" in d["errors"][0]["message"]'
run eval --strict-builtin-errors -f pretty 'x := 1 / 0'
expect_rc 1
expect_grep err "eval_builtin_error"

# Conflicting complete rule values: eval_conflict_error with the module's location.
cat >conflict.rego <<'REGO'
package c

x := 1 if input.a
x := 2 if input.a
REGO
echo '{"a": true}' >a.json
run eval -d conflict.rego -i a.json data.c.x
expect_rc 1
expect_json 'd["errors"][0]["code"] == "eval_conflict_error"'
expect_json 'd["errors"][0]["location"]["file"] == "conflict.rego"'

# Compile errors in modules are reported with their code.
printf 'package u\n\np if { x > 1 }\n' >unsafe.rego
run eval -d unsafe.rego data.u.p
expect_rc 1
expect_json 'd["errors"][0]["code"] == "rego_unsafe_var_error"'
expect_json 'd["errors"][0]["location"]["row"] == 3'

# --timeout stops a long evaluation with eval_cancel_error.
run eval --timeout 20ms 'count([1 | some a in numbers.range(1, 4000); some b in numbers.range(1, 4000); a == b])'
expect_rc 1
expect_json 'd["errors"][0]["code"] == "eval_cancel_error"'

finish
