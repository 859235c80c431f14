#!/bin/bash
# node-up.sh ID NAME NODEIP RANGE_START RANGE_END [EMULATED_ARCH] -- one kubelet+containerd "node"
#   in its own mount+pid namespace (everything it mounts vanishes with it; killing the
#   unshare PID kills containerd, shims and containers).
set -euo pipefail
. "$(dirname "$0")/node-env.sh"; id=$1 name=$2 ip=$3 rs=$4 re=$5 earch=${6:-}
D=$S/$id
# a fresh node each time (the cluster is fresh too): re-importing the images costs ~2 s
[ -f $S/pids/node-$id ] && { echo "node $id already running; run node-down.sh $id first" >&2; exit 1; }
rm -rf $D/kubelet $D/varlog $D/run-containerd $D/cni $D/sysctl $D/log $D/containerd2 $D/containerd
mkdir -p $D/log $D/cni/net.d $D/kubelet $D/varlog $D/sysctl $S/pids
# host side, idempotent: the pod bridge (no forwarding, no NAT, no default route for pods)
ip link show $BR >/dev/null 2>&1 || { ip link add $BR type bridge; ip link set $BR up; }
for a in $NET.0.1 $ip; do   # (not "ip | grep -q": with pipefail, SIGPIPE fails the test)
  addrs=$(ip -o addr show dev $BR); [[ $addrs == *" $a/16 "* ]] || ip addr add $a/16 dev $BR; done
# cgroup v1 root for this node's pods, in every mounted v1 hierarchy
for h in /sys/fs/cgroup/*/; do
  [ "$(stat -fc %T $h)" = cgroup2fs ] && continue
  mkdir -p $h/$CG-$id
  if [ -f $h/cpuset.cpus ]; then cat $h/cpuset.cpus > $h/$CG-$id/cpuset.cpus; cat $h/cpuset.mems > $h/$CG-$id/cpuset.mems; fi
done
mkdir -p /var/lib/kubelet /var/lib/cni /run/containerd   # empty mountpoint; each node binds its own dir over it
rm -rf $D/cni/ipam          # stale IPAM leases from an earlier run
cat > $D/cni/net.d/10-amoskys.conflist <<CNI
{"cniVersion":"1.0.0","name":"amoskys","plugins":[{"type":"bridge","bridge":"$BR","isGateway":false,"ipMasq":false,"hairpinMode":true,
 "ipam":{"type":"host-local","dataDir":"$D/cni/ipam","ranges":[[{"subnet":"$NET.0.0/16","rangeStart":"$rs","rangeEnd":"$re","gateway":"$NET.0.1"}]],
   "routes":[{"dst":"10.0.0.0/24","gw":"$NET.0.1"}]}}]}
CNI
port=20250; [ $id = a ] && hz=$HZA || hz=$HZB
cat > $D/kubelet.yaml <<KC
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: /$CG-$id
containerRuntimeEndpoint: unix://$D/containerd.sock
address: $ip
port: $port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $hz
tlsCertFile: $S/pki/kubelet-serving-$name.crt
tlsPrivateKeyFile: $S/pki/kubelet-serving-$name.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $S/pki/ca.crt}
authorization: {mode: Webhook}
makeIPTablesUtilChains: false
protectKernelDefaults: false
failSwapOn: false
enforceNodeAllocatable: [pods]
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
nodeStatusReportFrequency: 1m
registerNode: true
volumePluginDir: $D/volume-plugins
KC
cat > $D/containerd.toml <<TOML
# containerd v2.3 (built from the Go module proxy) for node $id
version = 3
root = "$D/containerd2/root"
state = "$D/containerd2/state"
[grpc]
  address = "$D/containerd.sock"
[ttrpc]
  address = "$D/containerd.sock.ttrpc"
[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "amoskys.local/pause:3.10"
  # only what a pull would fetch; pods run the host's variant of a multi-arch image
  [plugins.'io.containerd.cri.v1.images'.runtime_platforms.runc]
    platform = "linux/${earch:-amd64}"
[plugins.'io.containerd.cri.v1.runtime']
  enable_selinux = false
  disable_apparmor = true
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "$D/cni/net.d"
    max_conf_num = 1
[plugins.'io.containerd.grpc.v1.cri']
  disable_tcp_service = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
[plugins.'io.containerd.nri.v1.nri']
  disable = true
TOML
labels="amoskys.io/e2e-node=true"; [ -n "$earch" ] && labels="$labels,amoskys.io/emulated-arch=$earch"
NODE_PLATFORM=linux/${earch:-amd64} nohup unshare --mount --pid --fork --mount-proc --propagation private --kill-child=SIGKILL \
  $HERE/node-ns.sh $id $name $ip "$labels" > $D/log/node-ns.log 2>&1 &
echo $! > $S/pids/node-$id
