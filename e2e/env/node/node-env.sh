# node-env.sh -- sourced by every script here. Every machine-wide name is derived from $SLOT;
# everything else of a run lives in $NODE_DIR.
: "${NODE_DIR:?a per-run temp dir}" "${SLOT:?0-31, one run per slot: see the slot lock}"
[[ $SLOT =~ ^([0-9]|[12][0-9]|3[01])$ ]] || { echo "SLOT must be 0-31" >&2; exit 1; }
HERE=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
S=$NODE_DIR
C=${AMOSKYS_CACHE:-$HOME/.cache/amoskys}
KB=$C/kube-v1.36.3 EB=$C/etcd-v3.5.35 CB=$C/containerd-v2.3.7 IM=$C/images-node-24.21.0
# (versions as e2e/env/toolchain.ts; node-env.test.ts checks they agree)
BR=amoskys$SLOT            # pod bridge (an interface name has 15 characters at most)
NET=10.$((213 + SLOT))     # pod network $NET.0.0/16: $NET.0.1 = bridge = node-amd64, $NET.0.2 = node-arm64
CG=amoskys-$SLOT           # cgroup roots $CG-a and $CG-b, in every v1 hierarchy
GUARD=amoskys-$SLOT-guard  # nft table that keeps pod traffic on the bridge
LOCKS=/run/lock            # amoskys-node-$SLOT.lock, amoskys-node.lock, amoskys-binfmt.lock, amoskys-kube-proxy.lock
PB=$((21000 + 16 * SLOT))  # loopback ports; a harness passes freePort() values instead
ETCD=${ETCD_PORT:-$PB} ETCDPEER=${ETCD_PEER_PORT:-$((PB + 1))} API=${API_PORT:-$((PB + 2))}
KCM=${KCM_PORT:-$((PB + 3))} SCHED=${SCHED_PORT:-$((PB + 4))}
HZA=${KUBELET_HEALTHZ_PORT_A:-$((PB + 5))} HZB=${KUBELET_HEALTHZ_PORT_B:-$((PB + 6))}   # kubelet healthz of nodes a and b
KPHZ=${KUBE_PROXY_HEALTHZ_PORT:-$((PB + 7))} KPM=${KUBE_PROXY_METRICS_PORT:-$((PB + 8))}
T1=$((PB + 9)) T2=$((PB + 10))             # the checks' TCP server: 127.0.0.1:$T1 and $NET.0.1:$T2
