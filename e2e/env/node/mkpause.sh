#!/bin/bash
# mkpause.sh PAUSE_BIN OUT_TAR REF  -- a one-file OCI image of a static pause binary
set -euo pipefail
bin=$1 out=$2 ref=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/mkpause.XXXX"); trap 'rm -rf "$work"' EXIT
umoci init --layout "$work/oci"; umoci new --image "$work/oci:img"
umoci unpack --image "$work/oci:img" "$work/bundle" >/dev/null
cp "$bin" "$work/bundle/rootfs/pause"
umoci repack --image "$work/oci:img" "$work/bundle" >/dev/null
umoci config --image "$work/oci:img" --architecture amd64 --os linux --config.entrypoint /pause --config.user 65535:65535 >/dev/null
umoci gc --layout "$work/oci"
python3 -c 'import json,sys;p=sys.argv[1];ix=json.load(open(p));[m.setdefault("annotations",{}).__setitem__("org.opencontainers.image.ref.name",sys.argv[2]) for m in ix["manifests"]];json.dump(ix,open(p,"w"))' "$work/oci/index.json" "$ref"
tar -C "$work/oci" -cf "$out" .
