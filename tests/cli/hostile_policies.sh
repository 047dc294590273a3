# End-to-end (issue #9): hostile policies, queries and files through `eval`,
# `check` and `fmt` answer a clear error (code, message, file:row:col, exit
# status) instead of crashing, hanging or exhausting memory; valid programs
# near the limits still work.
source "$(dirname "$0")/testlib.bash"

py() { python3 -c "$1"; }

# ---- a 10 000-term operator chain: module, query, check, fmt
py 'open("chain.rego","w").write("package p\nx := " + "1" + " + 1"*9999 + "\n")'
run eval -d chain.rego data.p.x
expect_rc 1
expect_json 'd["errors"][0]["code"] == "rego_parse_error"'
expect_json 'd["errors"][0]["message"] == "operator chain exceeds the maximum depth of 1000"'
expect_json 'd["errors"][0]["location"] == {"file": "chain.rego", "row": 2, "col": 4004}'

run eval "$(py 'print("1" + " + 1"*9999)')"
expect_rc 1
expect_json 'd["errors"][0]["message"] == "operator chain exceeds the maximum depth of 1000"'

run check chain.rego
expect_rc 1
expect_grep err "chain.rego:2:4004: rego_parse_error: operator chain exceeds the maximum depth of 1000"

run fmt chain.rego
expect_rc 1
expect_grep err "chain.rego:2:4004: rego_parse_error: operator chain exceeds the maximum depth of 1000"

# below the limit the chain evaluates (and formats to a module that parses again)
py 'open("chain900.rego","w").write("package p\nx := " + "1" + " + 1"*899 + "\n")'
run eval -d chain900.rego data.p.x --format raw
expect_rc 0
expect_out "900"
run fmt chain900.rego
expect_rc 0
printf '%s\n' "$OUT" >chain900.fmt.rego
run eval -d chain900.fmt.rego data.p.x --format raw
expect_out "900"

# ---- an unsafe variable in an object comprehension inside a unification
printf 'package p\nq if { l = {s: x | x = data.a[_]; sum(x, 10, s)} }\n' >unsafe.rego
run eval -d unsafe.rego data.p.q
expect_rc 1
expect_json 'd["errors"][0]["code"] == "rego_unsafe_var_error"'
expect_json 'd["errors"][0]["message"] == "var s is unsafe"'
expect_json 'd["errors"][0]["location"]["file"] == "unsafe.rego" and d["errors"][0]["location"]["row"] == 2'
run check unsafe.rego
expect_rc 1
expect_grep err "rego_unsafe_var_error: var s is unsafe"
run eval 'l = {s: x | x = data.a[_]; sum(x, 10, s)}'
expect_rc 1
expect_json 'd["errors"][0]["message"] == "var s is unsafe"'

# ---- 100 000 nested `every`
py 'open("every.rego","w").write("package p\nq if {\n" + "every a in [1] {\n"*100000 + "true\n" + "}\n"*100000 + "}\n")'
run eval -d every.rego data.p.q
expect_rc 1
expect_json 'd["errors"][0]["message"] == "nesting of bodies exceeds the maximum depth of 1000"'
expect_json 'd["errors"][0]["location"]["row"] == 1001'
run fmt every.rego
expect_rc 1
expect_grep err "nesting of bodies exceeds the maximum depth of 1000"
py 'open("every300.rego","w").write("package p\nq if {\n" + "every a in [1] {\n"*300 + "true\n" + "}\n"*300 + "}\n")'
run eval -d every300.rego data.p.q --format raw
expect_out "true"

# ---- long package paths: a clear error, quickly
py 'open("pkg.rego","w").write("package " + ".".join("a%d" % i for i in range(8000)) + "\nx := 1\n")'
run eval -d pkg.rego data
expect_rc 1
expect_json 'd["errors"][0]["message"] == "package path has more than 256 segments"'
expect_json 'd["errors"][0]["location"] == {"file": "pkg.rego", "row": 1, "col": 9}'
py 'open("pkg200.rego","w").write("package " + ".".join("a%d" % i for i in range(200)) + "\nx := 1\n")'
run eval -d pkg200.rego "data.$(py 'print(".".join("a%d" % i for i in range(200)))').x" --format raw
expect_out "1"

# ---- a large one-line array literal still compiles, in linear time
py 'open("arr.rego","w").write("package p\nx := [" + "1,"*199999 + "1]\n")'
run eval -d arr.rego 'count(data.p.x)' --format raw
expect_rc 0
expect_out "200000"

# ---- files that never end or are too large
run eval -d /dev/zero data
expect_rc 1
expect_json 'd["errors"][0]["message"] == "read /dev/zero: not a regular file (a character device)"'
run eval -i /dev/zero input
expect_rc 1
expect_grep err "read /dev/zero: not a regular file (a character device)"
run check /dev/zero
expect_rc 1
expect_grep err "read /dev/zero: not a regular file (a character device)"
run fmt /dev/zero
expect_rc 1
expect_grep err "read /dev/zero: not a regular file (a character device)"
# a pipe is read (and bounded while reading)
run eval -d <(printf '{"a": 7}') 'data.a' --format raw
expect_out "7"
# an endless stdin (-I, --stdin) stops at the per-file limit
OUT=$(timeout 60 "$WARTBURG" eval -I input </dev/zero 2>"$TMP/.stderr"); RC=$?; ERR=$(cat "$TMP/.stderr")
CMD="wartburg eval -I input </dev/zero"
expect_rc 1
expect_grep err "stdin: more than 256 MiB of input"
OUT=$(timeout 60 "$WARTBURG" eval --stdin </dev/zero 2>"$TMP/.stderr"); RC=$?; ERR=$(cat "$TMP/.stderr")
CMD="wartburg eval --stdin </dev/zero"
expect_rc 1
expect_grep err "stdin: more than 256 MiB of input"

finish
