# Golden files of `wartburg fmt` (tests/fmt): for each NAME.rego, formatting
# it gives NAME.rego.formatted byte for byte (what `opa fmt` prints), and
# formatting NAME.rego.formatted gives it back unchanged (idempotence).
source "$(dirname "$0")/testlib.bash"

# tests/fmt/v0: Rego v0 formatted as v0 (`fmt --v0-compatible`, as `opa fmt --v0-compatible`).
n=0
for want in "$ROOT"/tests/fmt/*.rego.formatted "$ROOT"/tests/fmt/v0/*.rego.formatted; do
  in=${want%.formatted}
  name=$(basename "$in")
  flags=()
  [[ $(basename "$(dirname "$want")") == v0 ]] && flags=(--v0-compatible)
  [[ -f "$in" ]] || { CMD="(golden $name)"; fail "no input for $(basename "$want")"; continue; }
  for src in "$in" "$want"; do
    cp "$src" "$TMP/in.rego"
    CMD="wartburg fmt ${flags[*]} $(basename "$src")"
    "$WARTBURG" fmt "${flags[@]}" "$TMP/in.rego" >"$TMP/got" 2>"$TMP/err"
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
