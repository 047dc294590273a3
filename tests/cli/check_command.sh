# End-to-end: `wartburg check` reports every compile error with file:row:col
# and exits 1; clean policies exit 0 silently.
source "$(dirname "$0")/testlib.bash"

cat >good.rego <<'REGO'
package good

allow if input.user == "admin"
REGO
run check good.rego
expect_rc 0
expect_out ""

mkdir -p lib
cat >lib/unsafe.rego <<'REGO'
package lib

p if {
	x > 1
}

r if {
	y > 2
}
REGO
run check lib
expect_rc 1
expect_grep err "2 errors occurred:"
expect_grep err "lib/unsafe.rego:4:2: rego_unsafe_var_error: var x is unsafe"
expect_grep err "lib/unsafe.rego:8:2: rego_unsafe_var_error: var y is unsafe"

cat >typo.rego <<'REGO'
package typo

q := coutn([1])
REGO
run check typo.rego
expect_rc 1
expect_grep err "1 error occurred:"
expect_grep err "typo.rego:3:6: rego_type_error: undefined function coutn"

cat >broken.rego <<'REGO'
package broken

p if {
	q :=
}
REGO
run check --format json broken.rego
expect_rc 1
expect_json 'd["errors"][0]["code"] == "rego_parse_error" and d["errors"][0]["location"]["row"] == 5'

cat >v0.rego <<'REGO'
package v0

allow { input.user == "admin" }
REGO
run check v0.rego
expect_rc 1
expect_grep err "rego_parse_error"
run check --v0-compatible v0.rego
expect_rc 0
run check missing.rego
expect_rc 1
expect_grep err "missing.rego"

# as opa check: only .rego files load from folders; data files there are not
# read (a malformed one does not fail check), nor merged
mkdir -p withdata/sub
cat >withdata/p.rego <<'REGO'
package withdata

allow if input.user == "admin"
REGO
printf '{"broken": ' >withdata/data.json
printf 'a: [1\n' >withdata/sub/data.yaml
printf 'not rego at all {' >withdata/notes.txt
run check withdata
expect_rc 0
expect_out ""
run check --format json withdata
expect_rc 0

# as opa check: at most 10 errors (-m, --max-errors), then "error limit reached";
# an undefined imported function is named by its data reference
{ echo "package many"; echo "import data.lib.x.f"; echo "p0 if f(1)"
  for i in $(seq 12); do echo "p$i if undefined_$i(1)"; done; } >many.rego
run check many.rego
expect_rc 1
expect_grep err "11 errors occurred:"
expect_grep err "undefined function data.lib.x.f"
expect_grep err "rego_compile_error: error limit reached"
run check -m 0 many.rego
expect_grep err "13 errors occurred:"
run check --max-errors 1 many.rego
expect_grep err "2 errors occurred:"

finish
