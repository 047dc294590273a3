# End-to-end: how -d loads folders and files, as OPA's loader does: data
# files land under the path of their folder relative to the -d root, files
# at the root merge into data, .rego files are modules, conflicting data is
# an error naming both files, and "a.b:PATH" roots files at data.a.b.
source "$(dirname "$0")/testlib.bash"

mkdir -p root/a/b root/a/c root/policy
echo '{"k": 1}' >root/a/b/x.json
echo '{"j": [1, 2]}' >root/a/b/y.json
printf 'name: yaml\nlist:\n  - 1\n' >root/a/c/conf.yaml
echo '{"top": true}' >root/data.json
echo 'ignored: not data' >root/notes.txt
cat >root/policy/rules.rego <<'REGO'
package a.rules

doubled := [y | some x in data.a.b.j; y := 2 * x]
REGO

run eval -d root data.a.b
expect_rc 0
expect_json 'd["result"][0]["expressions"][0]["value"] == {"k": 1, "j": [1, 2]}'

run eval -d root data.a.c
expect_json 'd["result"][0]["expressions"][0]["value"] == {"name": "yaml", "list": [1]}'

run eval -d root data.top
expect_json 'd["result"][0]["expressions"][0]["value"] is True'

run eval -d root data.a.rules.doubled
expect_json 'd["result"][0]["expressions"][0]["value"] == [2, 4]'

# Only known extensions are loaded from folders.
run eval -d root 'object.keys(data)'
expect_json 'sorted(d["result"][0]["expressions"][0]["value"]) == ["a", "top"]'

# A folder given with ./ and a trailing slash loads the same way.
run eval -d ./root/ data.a.b.k
expect_json 'd["result"][0]["expressions"][0]["value"] == 1'

# A file named directly merges at the root of data; several -d accumulate.
echo '{"extra": {"n": 5}}' >extra.json
run eval -d root -d extra.json data.extra.n
expect_json 'd["result"][0]["expressions"][0]["value"] == 5'

# A prefix roots the loaded documents.
run eval -d cfg.env:extra.json data.cfg.env.extra.n
expect_json 'd["result"][0]["expressions"][0]["value"] == 5'

# --ignore skips matching names below the root.
run eval -d root --ignore 'y.*' data.a.b
expect_json 'd["result"][0]["expressions"][0]["value"] == {"k": 1}'

# Conflicting documents: an error naming both files.
mkdir -p c1 c2
echo '{"a": {"b": 1}}' >c1/x.json
echo '{"a": {"b": 2}}' >c2/y.json
run eval -d c1 -d c2 data
expect_rc 1
expect_json '"c1/x.json" in d["errors"][0]["message"] and "c2/y.json" in d["errors"][0]["message"]'
expect_json '"merge error" in d["errors"][0]["message"]'

# A root-level data file must hold an object.
echo '[1, 2]' >list.json
run eval -d list.json data
expect_rc 1
expect_json '"list.json" in d["errors"][0]["message"]'

# Malformed data file: named with its position.
mkdir -p broken
printf '{\n  "a": 1,\n  "b": \n}\n' >broken/data.json
run eval -d broken data
expect_rc 1
expect_json '"broken/data.json" in d["errors"][0]["message"]'
expect_json '"line 4" in d["errors"][0]["message"]'

finish
