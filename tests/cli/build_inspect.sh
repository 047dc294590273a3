# End-to-end: `wartburg build` writes an OPA bundle (.manifest, one data.json,
# modules at their paths) only when everything compiles; `wartburg inspect`
# summarizes it (pretty tables and OPA's JSON shape, annotations with -a);
# the bundle loads with `check -b` and its extracted files evaluate with eval -d.
source "$(dirname "$0")/testlib.bash"

mkdir -p src/policy src/users
cat >src/policy/authz.rego <<'REGO'
# METADATA
# title: Authorization
# description: Decides who may do what.
package authz

# METADATA
# title: Allow admins
# entrypoint: true
allow if input.user in data.users.admins
REGO
echo '{"admins": ["alice"]}' >src/users/data.json

run build src -r v42 -o out.tar.gz
expect_rc 0
expect_out ""
[[ -f out.tar.gz ]] || fail "out.tar.gz was not written"

# The archive layout, read with the system tar.
if command -v tar >/dev/null; then
  listing=$(tar -tzf out.tar.gz 2>/dev/null | sort)
  # /plan.wartburg: the precompiled plan (tests/cli/build_plan.sh covers it)
  [[ "$listing" == $'/.manifest\n/data.json\n/plan.wartburg\n/src/policy/authz.rego' ]] ||
    fail "unexpected archive listing: $listing"
  manifest=$(tar -xzOf out.tar.gz /.manifest 2>/dev/null)
  [[ "$manifest" == '{"revision":"v42","roots":[""],"rego_version":1}' ]] || fail "unexpected manifest: $manifest"
  data=$(tar -xzOf out.tar.gz /data.json 2>/dev/null)
  [[ "$data" == '{"users":{"admins":["alice"]}}' ]] || fail "unexpected data.json: $data"

  # The bundle's files evaluate to the same decision as the sources.
  mkdir extracted && tar -xzf out.tar.gz -C extracted 2>/dev/null
  echo '{"user": "alice"}' >alice.json
  run eval -d extracted -i alice.json -f raw data.authz.allow
  expect_rc 0
  expect_out "true"
fi

# The default output name.
run build src
expect_rc 0
[[ -f bundle.tar.gz ]] || fail "bundle.tar.gz was not written by default"

run check -b out.tar.gz
expect_rc 0

run inspect out.tar.gz
expect_rc 0
expect_grep out "MANIFEST:"
expect_grep out "| Revision     | v42   |"
expect_grep out "| Rego Version | 1     |"
expect_grep out "NAMESPACES:"
expect_grep out "| data.authz | /src/policy/authz.rego |"
expect_grep out "| data       | /data.json             |"

run inspect --format json out.tar.gz
expect_rc 0
expect_json 'd["manifest"] == {"revision": "v42", "roots": [""], "rego_version": 1}'
expect_json 'd["namespaces"] == {"data": ["/data.json"], "data.authz": ["/src/policy/authz.rego"]}'
expect_json 'd["signatures_config"] == {} and "annotations" not in d'

run inspect -a -f json out.tar.gz
expect_rc 0
expect_json '[a["annotations"]["title"] for a in d["annotations"]] == ["Authorization", "Allow admins"]'
expect_json 'd["annotations"][1]["annotations"]["entrypoint"] is True and d["annotations"][1]["annotations"]["scope"] == "rule"'
expect_json '[p["value"] for p in d["annotations"][1]["path"]] == ["data", "authz", "allow"]'
expect_json 'd["annotations"][0]["location"] == {"file": "/src/policy/authz.rego", "row": 1, "col": 1}'

run inspect -a out.tar.gz
expect_rc 0
expect_grep out "ANNOTATIONS:"
expect_grep out "Allow admins"
expect_grep out "Rule:     authz.allow"
expect_grep out "Entrypoint: true"

# A directory: file names include the directory.
run inspect -f json src
expect_rc 0
expect_json 'd["namespaces"] == {"data.users": ["src/users/data.json"], "data.authz": ["src/policy/authz.rego"]}'

# Bundle inputs (-b): the manifest's roots, revision and metadata carry over; -r overrides.
mkdir -p b1/x b2
printf 'package x\n\np := data.x.v\n' >b1/x/p.rego
echo '{"v": 1}' >b1/x/data.json
echo '{"roots": ["x"], "revision": "r1", "metadata": {"team": "a"}}' >b1/.manifest
printf 'package y\n\nq := 2\n' >b2/q.rego
echo '{"roots": ["y"]}' >b2/.manifest
run build -b b1 -o one.tar.gz
expect_rc 0
run inspect -f json one.tar.gz
expect_json 'd["manifest"] == {"revision": "r1", "roots": ["x"], "rego_version": 1, "metadata": {"team": "a"}}'
run build -b b1 b2 -r merged -o two.tar.gz
expect_rc 0
run inspect -f json two.tar.gz
expect_json 'd["manifest"]["revision"] == "merged" and d["manifest"]["roots"] == ["x", "y"]'
expect_json 'd["namespaces"] == {"data": ["/data.json"], "data.x": ["/x/p.rego"], "data.y": ["/q.rego"]}'
run build -b b1 one.tar.gz -o dup.tar.gz
expect_rc 1
expect_grep err "module x/p.rego is defined in more than one bundle"

# Compile errors: reported with file:row:col and nothing is written.
mkdir -p bad
printf 'package bad\n\np if {\n\tx > 1\n}\n' >bad/x.rego
run build bad -o bad.tar.gz
expect_rc 1
expect_grep err "1 error occurred:"
expect_grep err "bad/x.rego:4:2: rego_unsafe_var_error: var x is unsafe"
[[ ! -e bad.tar.gz ]] || fail "bad.tar.gz was written despite compile errors"
run build bad -o out.tar.gz
expect_rc 1
run inspect -f json out.tar.gz
expect_json 'd["manifest"]["revision"] == "v42"'  # the earlier bundle is untouched

# Rego v0.
mkdir -p v0
printf 'package v0\n\nallow { input.x == 1 }\n' >v0/a.rego
run build v0 -o v0.tar.gz
expect_rc 1
expect_grep err "rego_parse_error"
run build --v0-compatible v0 -o v0.tar.gz
expect_rc 0
run inspect -f json v0.tar.gz
expect_json 'd["manifest"]["rego_version"] == 0'

# Unsupported targets and bad usage.
run build -t wasm src
expect_rc 1
expect_grep err "not supported"
run build -t plan src -o plan.tar.gz
expect_rc 1
expect_grep err "not supported"
[[ ! -e plan.tar.gz ]] || fail "plan.tar.gz was written"
run build
expect_rc 1
run inspect
expect_rc 1
expect_grep err "specify exactly one"
run inspect missing.tar.gz
expect_rc 1
run inspect -f yaml out.tar.gz
expect_rc 1

finish
