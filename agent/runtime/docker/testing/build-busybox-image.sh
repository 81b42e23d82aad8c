#!/usr/bin/env bash
# Builds docker.io/library/busybox:latest from Debian's busybox-static (no registry is reachable in CI):
# a root file system with /bin/busybox and one symlink per applet, imported into Podman (or Docker).
# It is also tagged busybox:stable: a pod naming a tag other than latest defaults to imagePullPolicy
# IfNotPresent (upstream's rule), so end-to-end pods run offline; `busybox` alone means Always and a pull.
# Usage: build-busybox-image.sh [podman|docker]   (default: podman). Idempotent.
set -euo pipefail

engine="${1:-podman}"
image="docker.io/library/busybox:latest"
stable="docker.io/library/busybox:stable"
busybox="${BUSYBOX:-/bin/busybox}"

if [[ ! -x "$busybox" ]]; then
  echo "missing $busybox: apt-get install -y busybox-static" >&2
  exit 1
fi

if "$engine" image inspect "$image" >/dev/null 2>&1 && "$engine" image inspect "$stable" >/dev/null 2>&1; then
  echo "$image and $stable are present"
  exit 0
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,proc,sys,dev,root,var/www}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [[ "$applet" == busybox ]] && continue
  ln -sf /bin/busybox "$root/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/false' >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"

tar -C "$root" -cf "$root.tar" .
"$engine" import --change 'CMD ["sh"]' "$root.tar" "$image" >/dev/null
rm -f "$root.tar"
"$engine" tag "$image" "$stable"
echo "built $image and $stable with $engine"
