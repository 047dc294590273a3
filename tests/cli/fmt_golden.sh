# Golden files of `wartburg fmt` (tests/fmt): for each NAME.rego, formatting
# it gives NAME.rego.formatted byte for byte (what `opa fmt` prints), and
# formatting NAME.rego.formatted gives it back unchanged (idempotence).
source "$(dirname "$0")/testlib.bash"

n=0
for want in "$ROOT"/tests/fmt/*.rego.formatted; do
  in=${want%.formatted}
  name=$(basename "$in")
  [[ -f "$in" ]] || { CMD="(golden $name)"; fail "no input for $(basename "$want")"; continue; }
  for src in "$in" "$want"; do
    cp "$src" "$TMP/in.rego"
    CMD="wartburg fmt $(basename "$src")"
    "$WARTBURG" fmt "$TMP/in.rego" >"$TMP/got" 2>"$TMP/err"
    RC=$?
    if [[ $RC != 0 ]] || ! cmp -s "$TMP/got" "$want"; then
      OUT=$(diff -u "$want" "$TMP/got" | sed "s|$TMP/got|formatted|")
      ERR=$(cat "$TMP/err")
      fail "$(basename "$src") does not format to $(basename "$want")"
    fi
  done
  n=$((n + 1))
done
((n > 0)) || fail "no golden files under $ROOT/tests/fmt"
echo "$n golden files"

finish
