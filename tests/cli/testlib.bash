# Shared helpers for the CLI end-to-end tests (tests/cli/*.sh). Each test is
# run by ctest as: bash tests/cli/NAME.sh path/to/wartburg repo-root
# Sourced, not run: the name does not end in .sh so CMake does not register it.

WARTBURG=${1:?usage: $0 path/to/wartburg repo-root}
ROOT=${2:?usage: $0 path/to/wartburg repo-root}
WARTBURG=$(cd "$(dirname "$WARTBURG")" && pwd)/$(basename "$WARTBURG")
FAILURES=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

# run ARGS...: runs `wartburg ARGS...` with stdin from $STDIN (default empty);
# sets OUT (stdout), ERR (stderr), RC (exit status), CMD (for messages).
run() {
  CMD="wartburg $*"
  OUT=$("$WARTBURG" "$@" <<<"${STDIN:-}" 2>"$TMP/.stderr")
  RC=$?
  ERR=$(cat "$TMP/.stderr")
}

fail() {
  FAILURES=$((FAILURES + 1))
  echo "FAIL: $*"
  echo "  command: $CMD"
  echo "  exit status: $RC"
  echo "  stdout: $OUT"
  echo "  stderr: $ERR"
}

expect_rc() {
  [[ "$RC" == "$1" ]] || fail "expected exit status $1"
}

# expect_out TEXT: stdout is exactly TEXT.
expect_out() {
  [[ "$OUT" == "$1" ]] || fail "unexpected stdout; wanted:
$1"
}

# expect_grep WHERE PATTERN: OUT or ERR contains the fixed string PATTERN.
expect_grep() {
  local text
  if [[ "$1" == out ]]; then text=$OUT; else text=$ERR; fi
  grep -qF -- "$2" <<<"$text" || fail "expected std$1 to contain: $2"
}

# expect_json PYTHON_EXPR: stdout parses as JSON `d` and the expression holds.
expect_json() {
  python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" <<<"$OUT" || fail "JSON check failed: $1"
}

finish() {
  if ((FAILURES > 0)); then
    echo "$FAILURES check(s) failed"
    exit 1
  fi
  echo "all checks passed"
}
