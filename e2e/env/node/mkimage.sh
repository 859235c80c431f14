#!/bin/bash
# mkimage.sh ARCH NODE_DIR LIBROOT OUT_TAR REF
#   ARCH: amd64|arm64; NODE_DIR: unpacked node-linux-<arch> npm package;
#   LIBROOT: a root holding that arch's glibc/libstdc++ ("/" for the host's amd64);
#   OUT_TAR: OCI archive to write; REF: e.g. amoskys.local/node:24.21.0-amd64
set -euo pipefail
arch=$1 nodedir=$2 libroot=$3 out=$4 ref=$5
work=$(mktemp -d "${TMPDIR:-/tmp}/mkimage.XXXX")
trap 'rm -rf "$work"' EXIT
case $arch in
  amd64) triple=x86_64-linux-gnu ldso=lib64/ld-linux-x86-64.so.2 ;;
  arm64) triple=aarch64-linux-gnu ldso=lib/ld-linux-aarch64.so.1 ;;
esac
umoci init --layout "$work/oci"
umoci new --image "$work/oci:img"
umoci unpack --image "$work/oci:img" "$work/bundle" >/dev/null
r=$work/bundle/rootfs
mkdir -p "$r/usr/local/bin" "$r/lib/$triple" "$r/lib64" "$r/etc" "$r/tmp" "$r/app"
chmod 1777 "$r/tmp"
cp "$nodedir/bin/node" "$r/usr/local/bin/node"
for l in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 libstdc++.so.6 libgcc_s.so.1; do
  cp -L "$libroot/lib/$triple/$l" "$r/lib/$triple/$l" 2>/dev/null || cp -L "$libroot/usr/lib/$triple/$l" "$r/lib/$triple/$l"
done
cp -L "$libroot/$ldso" "$r/$ldso" 2>/dev/null || cp -L "$libroot/usr/$ldso" "$r/$ldso"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/app:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$r/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' > "$r/etc/group"
printf 'hosts: files dns\n' > "$r/etc/nsswitch.conf"
umoci repack --image "$work/oci:img" "$work/bundle" >/dev/null
umoci config --image "$work/oci:img" --architecture "$arch" --os linux \
  --config.entrypoint /usr/local/bin/node --config.workingdir /app \
  --config.env PATH=/usr/local/bin:/usr/bin:/bin >/dev/null
umoci gc --layout "$work/oci"
# ctr import names the image from the index's ref.name annotation: make it the full ref
python3 - "$work/oci/index.json" "$ref" <<'PY'
import json,sys
p,ref=sys.argv[1],sys.argv[2]
ix=json.load(open(p))
for m in ix["manifests"]:
    m.setdefault("annotations",{})["org.opencontainers.image.ref.name"]=ref
json.dump(ix,open(p,"w"))
PY
tar -C "$work/oci" -cf "$out" .
