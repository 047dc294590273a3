#!/usr/bin/env python3
"""Runs OPA's YAML conformance cases through the `wartburg eval` command line,
one process per case, as a user would, and prints the same per-area table and
total line as the C++ `conformance` runner.

usage: run_cli.py WARTBURG CONFORMANCE_DIR [--area NAME] [--note SUBSTR]
                  [--failures] [--jobs N] [--timeout SECONDS]
Cases whose input_term holds a set (no JSON form, so no input file can carry
it) are counted as skipped. Needs python3 and PyYAML (Debian: python3-yaml)."""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml


class CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema booleans and no timestamps."""


CoreLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


# ---- loading ----

def area_of(path):
    parts = os.path.normpath(path).split(os.sep)
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in ("v0", "v1"):
            return parts[i] + "/" + parts[i + 1] if i + 2 < len(parts) else parts[i]
    return parts[-2] if len(parts) >= 2 else "."


def load_cases(root):
    files = []
    for d, _, names in os.walk(root, followlinks=True):
        files += [os.path.join(d, n) for n in names if n.endswith(".yaml")]
    cases = []
    for f in sorted(files):
        v0 = "v0" in os.path.normpath(f).split(os.sep)
        try:
            with open(f, encoding="utf-8") as fh:
                doc = yaml.load(fh, Loader=CoreLoader)
            for c in doc.get("cases") or []:
                cases.append(dict(c, _file=f, _area=area_of(f), _v0=v0))
        except Exception as e:  # noqa: BLE001 - a broken file is one failing case
            cases.append({"note": f, "_file": f, "_area": area_of(f), "_v0": v0, "_load_error": str(e)})
    return cases


# ---- comparison (what OPA's harness does: JSON values, rows as a set) ----

def canon(v):
    """Canonical JSON-able form: integral floats become ints."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, list):
        return [canon(x) for x in v]
    if isinstance(v, dict):
        return {str(k): canon(x) for k, x in v.items()}
    return v


def order_key(v):
    """A total order on JSON values (any total order serves to sort both sides)."""
    if v is None:
        return (0,)
    if isinstance(v, bool):
        return (1, v)
    if isinstance(v, (int, float)):
        return (2, v)
    if isinstance(v, str):
        return (3, v)
    if isinstance(v, list):
        return (4, [order_key(x) for x in v])
    return (5, sorted((k, order_key(x)) for k, x in v.items()))


def row_set(rows, sort_bindings):
    out = set()
    for row in rows:
        row = canon(row or {})
        if sort_bindings:
            row = {k: sorted(x, key=order_key) if isinstance(x, list) else x for k, x in row.items()}
        out.add(json.dumps(row, sort_keys=True))
    return out


def error_text(err):
    loc = err.get("location") or {}
    where = f"{loc.get('file')}:{loc.get('row')}" if loc.get("file") else f"{loc.get('row', 0)}:{loc.get('col', 0)}"
    return f"{where}: {err.get('code', '')}: {err.get('message', '')}"


def error_matches(case, errors):
    code, text = case.get("want_error_code"), case.get("want_error")
    if code is None and text is None:
        return False
    code_ok = code is None or any(e.get("code") == code for e in errors)
    text_ok = text is None or any(text in error_text(e) for e in errors)
    return code_ok and text_ok


# ---- running one case ----

def eval_cmd(wartburg, case, query, policy_dir=None, input_file=None):
    cmd = [wartburg, "eval", "-f", "json"]
    if case["_v0"]:
        cmd.append("--v0-compatible")
    if case.get("strict_error"):
        cmd.append("--strict-builtin-errors")
    if policy_dir:
        cmd += ["-d", policy_dir]
    if input_file:
        cmd += ["-i", input_file]
    return cmd + [query]


def run_eval(cmd, timeout):
    """Returns (output JSON or None, diagnostic text)."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout}s"
    try:
        return json.loads(p.stdout), ""
    except ValueError:
        return None, f"exit {p.returncode}, no JSON output; stdout {p.stdout[:300]!r} stderr {p.stderr[:300]!r}"


class NotJson(Exception):
    """The case's input cannot be given to the CLI as a JSON/YAML file."""


def term_input(wartburg, case, timeout):
    """input_term: plain JSON is used as is; otherwise `wartburg eval 'x = TERM'`.
    A term that JSON cannot carry (it holds a set) raises NotJson."""
    term = case["input_term"]
    try:
        return json.loads(term)
    except ValueError:
        pass
    query = f"x = {term}; lossless := json.unmarshal(json.marshal(x)) == x"
    out, why = run_eval(eval_cmd(wartburg, {"_v0": case["_v0"]}, query), timeout)
    rows = (out or {}).get("result") or []
    if not rows:
        raise RuntimeError(f"input_term did not evaluate: {term} {why} {out}")
    if rows[0]["bindings"].get("lossless") is not True:
        raise NotJson(f"input_term {term} has no JSON form")
    return rows[0]["bindings"]["x"]


def write_case(tmp, wartburg, case, timeout):
    policy_dir = os.path.join(tmp, "policy")
    os.mkdir(policy_dir)
    for i, mod in enumerate(case.get("modules") or []):
        with open(os.path.join(policy_dir, f"test-{i}.rego"), "w", encoding="utf-8") as fh:
            fh.write(mod)
    data = case.get("data")
    with open(os.path.join(policy_dir, "data.json"), "w", encoding="utf-8") as fh:
        json.dump(data if data is not None else {}, fh)
    if "input_term" in case:
        value = term_input(wartburg, case, timeout)
    elif case.get("input") is not None:
        value = case["input"]
    else:
        return policy_dir, None
    input_file = os.path.join(tmp, "input.json")
    with open(input_file, "w", encoding="utf-8") as fh:
        json.dump(value, fh)
    return policy_dir, input_file


def judge(case, out):
    """Returns (passed, got text) for one eval output document."""
    if "errors" in out:
        errs = out["errors"] if isinstance(out["errors"], list) else [out["errors"]]
        return error_matches(case, errs), "errors: " + "; ".join(error_text(e) for e in errs)
    rows = [r.get("bindings") or {} for r in out.get("result") or []]
    got = json.dumps(rows)
    if "want_error_code" in case or "want_error" in case:
        return False, got
    want = case.get("want_result")
    if want is None:
        return False, "case has no want_result / want_error; got " + got
    sb = bool(case.get("sort_bindings"))
    return row_set(want, sb) == row_set(rows, sb), got


def run_case(wartburg, case, timeout):
    """Returns ("pass" | "fail" | "skip", got text)."""
    if case.get("skip"):
        return "skip", ""
    if "_load_error" in case:
        return "fail", "cannot load case: " + case["_load_error"]
    with tempfile.TemporaryDirectory(prefix="wartburg-conf-") as tmp:
        try:
            policy_dir, input_file = write_case(tmp, wartburg, case, timeout)
        except NotJson as e:
            return "skip", str(e)
        except Exception as e:  # noqa: BLE001
            return "fail", f"setup: {e}"
        out, why = run_eval(eval_cmd(wartburg, case, case.get("query", ""), policy_dir, input_file), timeout)
        if out is None:
            return "fail", why
        ok, got = judge(case, out)
        return ("pass" if ok else "fail"), got


# ---- reporting ----

def want_text(case):
    parts = []
    if "want_result" in case:
        parts.append(json.dumps(case["want_result"]))
    if "want_error_code" in case:
        parts.append("error code " + str(case["want_error_code"]))
    if "want_error" in case:
        parts.append(f"error containing {case['want_error']!r}")
    return " or ".join(parts)


def print_table(areas, total):
    width = max((len(a) for a in areas), default=0)
    for name in sorted(areas):
        p, f, s = areas[name]
        print(f"{name}{' ' * (width - len(name) + 2)}passed {p} failed {f} skipped {s}")
    print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")


def selected(args, case):
    if args.note and args.note not in str(case.get("note", "")):
        return False
    area = case["_area"]
    return not args.area or area == args.area or area.split("/", 1)[-1] == args.area


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wartburg")
    ap.add_argument("dir")
    ap.add_argument("--area")
    ap.add_argument("--note")
    ap.add_argument("--failures", action="store_true")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()
    wartburg = os.path.abspath(args.wartburg)
    cases = [c for c in load_cases(args.dir) if selected(args, c)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda c: run_case(wartburg, c, args.timeout), cases))
    areas, total, index = {}, [0, 0, 0], {"pass": 0, "fail": 1, "skip": 2}
    for case, (status, got) in zip(cases, outcomes):
        areas.setdefault(case["_area"], [0, 0, 0])[index[status]] += 1
        total[index[status]] += 1
        if args.failures and status == "fail":
            print(f"FAIL {case.get('note')}  [{case['_file']}]\n  query: {case.get('query')}\n"
                  f"  want:  {want_text(case)}\n  got:   {got}")
    if args.failures:
        print()
    print_table(areas, total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
