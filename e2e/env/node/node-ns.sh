#!/bin/bash
# node-ns.sh ID NAME NODEIP LABELS -- PID 1 of the node's namespaces
set -euo pipefail
. "$(dirname "$0")/node-env.sh"; id=$1 name=$2 ip=$3 labels=$4; D=$S/$id
# The kubelet wants vm.overcommit_memory=1, kernel.panic=10, kernel.panic_on_oops=1 and
# writes them machine-wide unless it reads them already set: show it those values here only.
for kv in vm/overcommit_memory=1 kernel/panic=10 kernel/panic_on_oops=1; do
  k=${kv%=*}; f=$D/sysctl/${k//\//.}; echo ${kv#*=} > $f; mount --bind $f /proc/sys/$k
done
mount --bind $D/kubelet /var/lib/kubelet   # device-plugins socket etc. are hard-coded there
mount --bind $D/varlog /var/log            # /var/log/pods, /var/log/containers
mkdir -p $D/run-containerd $D/cni/cache
mount --bind $D/run-containerd /run/containerd   # shim sockets, runc state
mount --bind $D/cni/cache /var/lib/cni           # libcni's result cache
CONTAINERD_CFG=${CONTAINERD_CFG:-$D/containerd.toml} CONTAINERD_BIN=${CONTAINERD_BIN:-$CB/containerd}
export PATH=$(dirname $CONTAINERD_BIN):$PATH   # its shim is found beside it
$CONTAINERD_BIN --config $CONTAINERD_CFG > $D/log/containerd.log 2>&1 &
CTR=$(dirname $CONTAINERD_BIN)/ctr
for i in $(seq 100); do [ -S $D/containerd.sock ] && $CTR -a $D/containerd.sock version >/dev/null 2>&1 && break; sleep 0.1; done
# a multi-arch archive is unpacked for this node's platform; single-arch ones as they are
shopt -s nullglob   # $S/images: per-run archives, e.g. the project's image
for t in $IM/*.tar $S/images/*.tar; do case $t in *-multi.tar) f="--platform ${NODE_PLATFORM:-linux/amd64}";; *) f="";; esac
  $CTR -a $D/containerd.sock -n k8s.io images import $f $t >/dev/null; done
# REF-<arch> is also tagged REF on the node of that arch: one image name, the right binary per node
arch=${NODE_PLATFORM#linux/}
for r in $($CTR -a $D/containerd.sock -n k8s.io images ls -q 2>/dev/null | grep -- "-$arch\$"); do
  $CTR -a $D/containerd.sock -n k8s.io images tag --force $r ${r%-$arch} >/dev/null 2>&1; done
echo "containerd up, images imported at $(date +%T.%N)"
$KB/kubelet --config=$D/kubelet.yaml --kubeconfig=$S/pki/kubelet-$name.kubeconfig --hostname-override=$name \
  --node-ip=$ip --node-labels=$labels --v=1 > $D/log/kubelet.log 2>&1 &
trap 'kill -TERM $(jobs -p) 2>/dev/null; wait' TERM INT
wait -n; echo "a node process exited: $?"; kill -TERM $(jobs -p) 2>/dev/null; wait
