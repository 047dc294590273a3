#!/usr/bin/env python3
"""Seed inputs for the fuzz targets, derived from material already in the tree.

Writes OUT/<target>/<source>-<hash> files (not committed; ctest and `make fuzz`
generate them into the build folder):
  rego  every conformance case (../shared/conformance/opa: modules, query, input,
        data; a flags byte selects v0 for the v0 cases) and every policies/ module,
        in the format of fuzz/rego_fuzz.cpp
  json  the data and input documents of the conformance cases, policies/ test data
  yaml  the same documents as YAML, and the smaller conformance case files
  admission, http   the AdmissionReviews and requests of policies/*/testdata
  plan, bundle      with --wartburg: `wartburg build` bundles of policies/ (whole
        folders and single files), as .tar.gz, as plain tar and their plan.wartburg

Usage: make_seeds.py --out DIR [--clean] [--conformance DIR] [--policies DIR] [--wartburg BIN]
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

try:
    import yaml
    Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
except ImportError:  # python3-yaml (scripts/install-deps.sh); without it: no conformance seeds
    yaml = None

MAX_SEED = 64 * 1024
TARGETS = ["rego", "json", "yaml", "admission", "http", "plan", "bundle", "grpc"]


class Seeds:
    def __init__(self, out, clean):
        self.out = out
        self.count = {t: 0 for t in TARGETS}
        for t in TARGETS:
            d = os.path.join(out, t)
            if clean and os.path.isdir(d):
                shutil.rmtree(d)
            os.makedirs(d, exist_ok=True)

    def add(self, target, source, data):
        if isinstance(data, str):
            data = data.encode()
        if len(data) > MAX_SEED:
            return
        name = "%s-%s" % (source, hashlib.sha1(data).hexdigest()[:12])
        path = os.path.join(self.out, target, name)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.count[target] += 1


def rego_seed(modules, query=None, input_doc=None, data_doc=None, v0=False):
    parts = [b"\x01" if v0 else b"\x00", "\n#--module--\n".join(modules).encode()]
    if query:
        parts.append(b"\n#--query--\n" + query.encode())
    if input_doc is not None:
        parts.append(b"\n#--input--\n" + json.dumps(input_doc).encode())
    if data_doc is not None:
        parts.append(b"\n#--data--\n" + json.dumps(data_doc).encode())
    return b"".join(parts)


def json_text(doc):
    try:
        return json.dumps(doc)
    except (TypeError, ValueError):
        return None


def conformance(seeds, root):
    if yaml is None or not os.path.isdir(root):
        print("make_seeds: no conformance seeds (%s)" % ("python3-yaml missing" if yaml is None else root + " not found"))
        return
    for dirpath, _, files in sorted(os.walk(root)):
        for fname in sorted(files):
            if not fname.endswith(".yaml"):
                continue
            path = os.path.join(dirpath, fname)
            v0 = os.sep + "v0" + os.sep in path
            area = os.path.basename(dirpath)
            with open(path, "rb") as f:
                raw = f.read()
            if len(raw) <= 8192:
                seeds.add("yaml", "conformance-" + area, raw)
            try:
                doc = yaml.load(raw, Loader=Loader)
            except yaml.YAMLError:
                continue
            for case in (doc or {}).get("cases") or []:
                modules = [m for m in case.get("modules") or [] if isinstance(m, str)]
                input_doc = case.get("input")
                data_doc = case.get("data")
                ok_input = input_doc is not None and json_text(input_doc) is not None
                ok_data = data_doc is not None and json_text(data_doc) is not None
                seeds.add("rego", "conformance-" + area,
                          rego_seed(modules, case.get("query"), input_doc if ok_input else None,
                                    data_doc if ok_data else None, v0))
                for d, ok in ((input_doc, ok_input), (data_doc, ok_data)):
                    if ok:
                        seeds.add("json", "conformance-" + area, json_text(d))
                        seeds.add("yaml", "conformance-" + area, yaml.dump(d, Dumper=Dumper))


def policies(seeds, root, wartburg):
    rego_files = []
    for dirpath, _, files in sorted(os.walk(root)):
        for fname in sorted(files):
            path = os.path.join(dirpath, fname)
            with open(path, "rb") as f:
                text = f.read()
            if fname.endswith(".rego"):
                rego_files.append(path)
                seeds.add("rego", "policies-" + fname[:-5], b"\x00" + text)
            elif fname.endswith(".json"):
                seeds.add("json", "policies-" + fname[:-5], text)
                try:
                    doc = json.loads(text)
                except ValueError:
                    continue
                if yaml is not None:
                    seeds.add("yaml", "policies-" + fname[:-5], yaml.dump(doc, Dumper=Dumper))
                if isinstance(doc, dict) and doc.get("kind") == "AdmissionReview":
                    seeds.add("admission", "policies", text)
                    seeds.add("http", "policies-admit", http_request("POST", "/v1/admit", text))
                else:
                    body = json.dumps({"input": doc}).encode()
                    seeds.add("http", "policies-data", http_request("POST", "/v1/data/envoy/authz/allow", body))
    if wartburg and os.path.exists(wartburg):
        groups = [[p] for p in rego_files]
        for d in sorted({os.path.dirname(p) for p in rego_files}):
            groups.append([d])
        for group in groups:
            build(seeds, wartburg, group)


def http_request(method, target, body):
    head = "%s %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (
        method, target, len(body))
    return head.encode() + body


def build(seeds, wartburg, paths):
    name = os.path.basename(paths[0]).replace(".rego", "")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "bundle.tar.gz")
        r = subprocess.run([wartburg, "build", "-o", out] + paths, capture_output=True)
        if r.returncode != 0:
            return
        with open(out, "rb") as f:
            tgz = f.read()
    seeds.add("bundle", "policies-" + name, tgz)
    tar = gzip.decompress(tgz)
    seeds.add("bundle", "policies-" + name + "-tar", tar)
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        for member in t.getmembers():
            if member.name.lstrip("/") == "plan.wartburg":
                seeds.add("plan", "policies-" + name, t.extractfile(member).read())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--conformance", default=os.path.join(here, "..", "..", "shared", "conformance", "opa"))
    ap.add_argument("--policies", default=os.path.join(here, "..", "policies"))
    ap.add_argument("--wartburg", help="the wartburg binary, for plan and bundle seeds")
    ap.add_argument("--clean", action="store_true", help="remove earlier seeds from OUT first")
    args = ap.parse_args()
    seeds = Seeds(args.out, args.clean)
    conformance(seeds, args.conformance)
    policies(seeds, args.policies, args.wartburg)
    print("make_seeds: " + ", ".join("%s %d" % (t, seeds.count[t]) for t in TARGETS) + " new seeds in " + args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
