# End-to-end: `wartburg capabilities` prints OPA's capabilities JSON for every
# builtin, and a trimmed copy given to --capabilities (eval, check, test, build, run) or
# builtins.disabled in the server configuration switches builtins off with a
# clear compile error.
source "$(dirname "$0")/testlib.bash"

run capabilities
expect_rc 0
expect_json 'any(b["name"] == "http.send" and b["decl"]["args"][0]["type"] == "object" for b in d["builtins"])'
expect_json 'any(b["name"] == "plus" and b["infix"] == "+" for b in d["builtins"])'
expect_json 'any(b["name"] == "count" and b["decl"]["result"]["type"] == "number" for b in d["builtins"])'
expect_json '"if" in d["future_keywords"] and "rego_v1" in d["features"]'
echo "$OUT" >all.json
python3 - <<'PY'
import json
d = json.load(open("all.json"))
d["builtins"] = [b for b in d["builtins"] if b["name"] not in ("http.send", "net.lookup_ip_addr", "time.now_ns")]
json.dump(d, open("offline.json", "w"))
PY

cat >clock.rego <<'REGO'
package clock

now := time.now_ns()

sum := x if x := 1 + 2
REGO
run eval --capabilities offline.json -d clock.rego data.clock.sum
expect_rc 1
expect_grep out '"message": "builtin time.now_ns is disabled by configuration"'
expect_grep out '"code": "rego_type_error"'
run eval --capabilities all.json -d clock.rego data.clock.sum -f values
expect_rc 0
expect_json 'd == [3]'
run check --capabilities offline.json clock.rego
expect_rc 1
expect_grep err "clock.rego:3:8: rego_type_error: builtin time.now_ns is disabled by configuration"
run eval --capabilities missing.json -d clock.rego data.clock.sum
expect_rc 1
expect_grep out "capabilities file missing.json"

# test and build take --capabilities too
cat >clock_test.rego <<'REGO'
package clock_test

test_now if data.clock.now > 0
REGO
run test --capabilities offline.json clock.rego clock_test.rego
expect_rc 1
expect_grep err "builtin time.now_ns is disabled by configuration"
run test --capabilities all.json clock.rego clock_test.rego
expect_rc 0
run build --capabilities offline.json -o out.tar.gz clock.rego
expect_rc 1
expect_grep err "clock.rego:3:8: rego_type_error: builtin time.now_ns is disabled by configuration"
[[ ! -e out.tar.gz ]] || fail "a bundle was written although compilation failed"

# the server refuses to start on a policy calling a disabled builtin
cat >server.yaml <<'YAML'
builtins:
  disabled: [time.now_ns]
YAML
run run --server --addr 127.0.0.1:0 --config-file server.yaml clock.rego
expect_rc 1
expect_grep err "builtin time.now_ns is disabled by configuration"

finish
