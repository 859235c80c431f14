#!/bin/bash
# cluster-up.sh -- a 2-node Kubernetes 1.36 cluster (node-amd64 native, node-arm64 via qemu-user)
# Idempotent: tears down what an earlier run of this slot left, reuses built artefacts.
set -euo pipefail
. "$(dirname "$0")/node-env.sh"; mkdir -p $S/pids $S/cfg; cd $S
T0=$(date +%s.%N); lap() { printf '%-28s %6.1fs\n' "$1" "$(echo "$(date +%s.%N)-$T0"|bc)"; }
# the slot's lock (fd 9) is inherited by every process started below: free again when all are gone
exec 9>>$LOCKS/amoskys-node-$SLOT.lock; flock -n 9 || { echo "slot $SLOT is in use" >&2; exit 1; }
$HERE/cluster-down.sh >/dev/null 2>&1 || true
# host state that all runs share (binfmt_misc, the empty mountpoints): a shared lock, fd 8
exec 8>>$LOCKS/amoskys-node.lock; flock -s 8
# 1, 2. Debian packages and Go binaries: npm run setup:test-env installs them (e2e/env/toolchain.ts)
for b in /usr/sbin/runc /usr/lib/cni/bridge /usr/bin/umoci /usr/sbin/nft /usr/bin/qemu-aarch64-static /usr/sbin/update-binfmts; do
  [ -x $b ] || { echo "missing $b: run npm run setup:test-env" >&2; exit 1; }; done
for b in $KB/{kube-apiserver,kube-controller-manager,kubectl,kubelet,kube-scheduler,kube-proxy} $EB/etcd $CB/{containerd,containerd-shim-runc-v2,ctr}; do
  [ -x $b ] || { echo "missing $b: run npm run setup:test-env" >&2; exit 1; }; done
lap "go binaries"
# 3. images: node 24 from npm + glibc/libstdc++ + a static pause, cached by version
$HERE/images.sh
lap "images"
# 4. binfmt_misc + qemu-aarch64 (F flag: the interpreter is opened now, so it works inside containers).
#    One run at a time here (fd 6): two runs starting together would both mount it, and one mount would stay.
exec 6>>$LOCKS/amoskys-binfmt.lock; flock 6
if [ ! -f /proc/sys/fs/binfmt_misc/status ]; then mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; touch $LOCKS/amoskys-binfmt.mounted; fi
[ -f /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64
exec 6>&-
# 5. control plane. The bridge comes first: the apiserver listens on its host address $NET.0.1.
ip link show $BR >/dev/null 2>&1 || { ip link add $BR type bridge; ip link set $BR up; }
addrs=$(ip -o addr show dev $BR); [[ $addrs == *" $NET.0.1/16 "* ]] || ip addr add $NET.0.1/16 dev $BR
$HERE/pki.sh $S/pki >/dev/null
$HERE/cp-up.sh | sed 's/^/  /'
K="$KB/kubectl --kubeconfig pki/admin.kubeconfig"
$K create clusterrolebinding amoskys-nodes --clusterrole=system:node --group=system:nodes >/dev/null
$K apply -f $HERE/arm64-label-policy.yaml >/dev/null
lap "control plane"
# 6. nodes (containerd v2.3.7; Debian's 1.6.20 also works: CONTAINERD_BIN=/usr/bin/containerd CONTAINERD_CFG=<1.6 config>)
$HERE/node-up.sh a node-amd64 $NET.0.1 $NET.1.10 $NET.1.250
$HERE/node-up.sh b node-arm64 $NET.0.2 $NET.2.10 $NET.2.250 arm64
$K wait --for=condition=Ready node/node-amd64 node/node-arm64 --timeout=120s >/dev/null 2>&1 || \
  { for i in $(seq 120); do $K wait --for=condition=Ready node/node-amd64 node/node-arm64 --timeout=60s >/dev/null 2>&1 && break; sleep 0.5; done; }
lap "nodes Ready"
# 7. Services: kube-proxy (nftables) + pods may reach 10.0.0.0/24 via the bridge, nothing else
cat > cfg/guard.nft <<NFT
table inet $GUARD {
  chain forward {
    type filter hook forward priority -10; policy accept;
    iifname "$BR" oifname != "$BR" counter drop comment "pod traffic never leaves the bridge"
  }
}
NFT
nft -f cfg/guard.nft   # mandatory, and before forwarding is switched on
# KUBE_PROXY=0: a cluster without Services (pods, logs, exec, pod <-> host still work)
[ "${KUBE_PROXY:-1}" = 0 ] && { lap "no kube-proxy"; exit 0; }
sysctl -qw net.ipv4.conf.$BR.forwarding=1
# kube-proxy's nft tables have fixed names: one kube-proxy per machine (fd 7, inherited by it alone);
# KUBE_PROXY_WAIT seconds to wait for another run's to go
exec 7>>$LOCKS/amoskys-kube-proxy.lock
flock -w "${KUBE_PROXY_WAIT:-0}" 7 || { echo "another run's kube-proxy is up: no Services here" >&2; exit 1; }
cat > cfg/kube-proxy.yaml <<KP
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
clientConnection: {kubeconfig: $S/pki/kube-proxy.kubeconfig}
hostnameOverride: node-amd64
healthzBindAddress: 127.0.0.1:$KPHZ
metricsBindAddress: 127.0.0.1:$KPM
clusterCIDR: $NET.0.0/16
nodePortAddresses: [$NET.0.1/32]
# leave the machine's conntrack sysctls alone
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s, udpTimeout: 0s, udpStreamTimeout: 0s}
KP
nohup $KB/kube-proxy --config=cfg/kube-proxy.yaml --v=1 > cp/kube-proxy.log 2>&1 &
echo $! > pids/kube-proxy
for i in $(seq 100); do curl -fs http://127.0.0.1:$KPHZ/healthz >/dev/null 2>&1 && break; sleep 0.2; done
lap "kube-proxy"
