# End-to-end: `wartburg eval` with -d and -i prints exactly opa eval's JSON
# document (2-space indent, OPA's key order, bindings only when present, {}
# when undefined, HTML characters escaped as Go's encoder does).
source "$(dirname "$0")/testlib.bash"

mkdir -p policy
cat >policy/example.rego <<'REGO'
package example

default allow := false

allow if input.user == "alice"

greeting := sprintf("hello, %s", [input.user])
REGO
echo '{"user": "alice"}' >input.json

run eval -d policy -i input.json data.example.allow
expect_rc 0
expect_out '{
  "result": [
    {
      "expressions": [
        {
          "value": true,
          "text": "data.example.allow",
          "location": {
            "row": 1,
            "col": 1
          }
        }
      ]
    }
  ]
}'

run eval --data policy/example.rego --input input.json 'x := data.example.greeting'
expect_rc 0
expect_out '{
  "result": [
    {
      "expressions": [
        {
          "value": true,
          "text": "x := data.example.greeting",
          "location": {
            "row": 1,
            "col": 1
          }
        }
      ],
      "bindings": {
        "x": "hello, alice"
      }
    }
  ]
}'

# Two expressions: the second one's location is its column in the query.
run eval 'x := 1; y := x + 1'
expect_rc 0
expect_json 'd["result"][0]["bindings"] == {"x": 1, "y": 2}'
expect_json '[e["location"] for e in d["result"][0]["expressions"]] == [{"row": 1, "col": 1}, {"row": 1, "col": 9}]'
expect_json '[e["text"] for e in d["result"][0]["expressions"]] == ["x := 1", "y := x + 1"]'

# One result per solution, in order.
run eval 'some x in [3, 1, 2]'
expect_json '[r["bindings"]["x"] for r in d["result"]] == [3, 1, 2]'

# Query from stdin, spanning lines.
STDIN=$'a := 1\nb := 2' run eval --stdin
expect_rc 0
expect_json 'd["result"][0]["expressions"][1]["location"] == {"row": 2, "col": 1}'

# Undefined results print {}.
run eval -d policy -i input.json data.example.missing
expect_rc 0
expect_out '{}'
run eval '1 = 2'
expect_rc 0
expect_out '{}'
run eval 'x := 1; false'
expect_out '{}'

# As OPA does, a query of one expression reports its value even when it is
# false (OPA captures it); only unification (=) and several expressions fail.
run eval false
expect_rc 0
expect_json 'd["result"][0]["expressions"][0]["value"] is False'
run eval '1 == 2'
expect_json 'd["result"][0]["expressions"][0]["value"] is False'

# Sets print as sorted arrays; objects with sorted keys; <, >, & escaped.
run eval '{"b": {3, 1, 2}, "a": "<a&b>"}'
expect_out '{
  "result": [
    {
      "expressions": [
        {
          "value": {
            "a": "\u003ca\u0026b\u003e",
            "b": [
              1,
              2,
              3
            ]
          },
          "text": "{\"b\": {3, 1, 2}, \"a\": \"\u003ca\u0026b\u003e\"}",
          "location": {
            "row": 1,
            "col": 1
          }
        }
      ]
    }
  ]
}'

# Without -i, input is undefined; with a YAML input file it is the document.
run eval -d policy data.example.allow
expect_json 'd["result"][0]["expressions"][0]["value"] is False'
printf 'user: alice\nroles: [admin]\n' >input.yaml
run eval -i input.yaml input
expect_json 'd["result"][0]["expressions"][0]["value"] == {"user": "alice", "roles": ["admin"]}'
STDIN='{"user": "bob"}' run eval -I -d policy data.example.greeting
expect_json 'd["result"][0]["expressions"][0]["value"] == "hello, bob"'

# --v0-compatible parses v0 modules.
cat >v0.rego <<'REGO'
package legacy

allow { input.user == "alice" }
REGO
run eval --v0-compatible -d v0.rego -i input.json data.legacy.allow
expect_rc 0
expect_json 'd["result"][0]["expressions"][0]["value"] is True'

finish
