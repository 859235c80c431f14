#!/bin/bash
# cluster-down.sh -- stop everything cluster-up.sh started and undo its host changes (idempotent).
# Finds host state by the slot's names, so it also sweeps what a killed run of this slot left.
. "$(dirname "$0")/node-env.sh"
for id in a b; do $HERE/node-down.sh $id; done
stop() { local p; p=$(cat $S/pids/$1 2>/dev/null) || return 0; kill -TERM $p 2>/dev/null
  for i in $(seq 100); do kill -0 $p 2>/dev/null || break; sleep 0.1; done; kill -KILL $p 2>/dev/null; rm -f $S/pids/$1; }
# one at a time, each waited for: an apiserver whose etcd is already gone hangs in shutdown
for n in kube-proxy tcpserver kube-scheduler kube-controller-manager kube-apiserver etcd; do stop $n; done
# kube-proxy's tables only while no kube-proxy holds its lock (another run's may be up)
exec 7>>$LOCKS/amoskys-kube-proxy.lock
if flock -w 5 7; then
  nft list table ip kube-proxy >/dev/null 2>&1 && nft delete table ip kube-proxy
  nft list table ip6 kube-proxy >/dev/null 2>&1 && nft delete table ip6 kube-proxy
fi; exec 7>&-
nft list table inet $GUARD >/dev/null 2>&1 && nft delete table inet $GUARD
ip link show $BR >/dev/null 2>&1 && ip link del $BR     # takes its addresses and forwarding flag along
# shared host state only when no other run holds the shared lock: removing a mountpoint
# detaches the binds that a live node has on it in its own namespace
exec 8>>$LOCKS/amoskys-node.lock
if flock -x -w 5 8; then
  rmdir /var/lib/kubelet /var/lib/cni /run/containerd 2>/dev/null
  [ -f /proc/sys/fs/binfmt_misc/qemu-aarch64 ] && [ -f $LOCKS/amoskys-binfmt.mounted ] && echo -1 > /proc/sys/fs/binfmt_misc/qemu-aarch64
  [ -f $LOCKS/amoskys-binfmt.mounted ] && umount /proc/sys/fs/binfmt_misc && rm -f $LOCKS/amoskys-binfmt.mounted
fi; exec 8>&-
rm -rf $S/cp/etcd    # a fresh cluster next time
true
