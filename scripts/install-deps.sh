#!/usr/bin/env bash
# Installs what Wartburg needs to build and test, from Debian 12 packages.
# Idempotent: installs only what is missing.
set -euo pipefail
pkgs=(build-essential cmake ninja-build pkg-config ccache
      libboost-dev libre2-dev libyaml-cpp-dev rapidjson-dev
      libgtest-dev libgmock-dev libbenchmark-dev libssl-dev zlib1g-dev libjemalloc-dev
      libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
      python3 python3-yaml python3-grpcio python3-protobuf openssl curl nginx-light wrk)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
