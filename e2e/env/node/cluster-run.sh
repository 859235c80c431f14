#!/bin/bash
# cluster-run.sh -- the run's cluster, as PID 1 of a pid namespace of its own (e2e/env/services/cluster.ts
#   starts it under `unshare --pid --fork --kill-child`). Every process cluster-up.sh starts lives in that
#   namespace, so when this process dies (stop(), or the kernel's parent-death signal after the test
#   process is SIGKILLed), the kernel kills all of them: control plane, nodes, shims, containers.
#   Host state (bridge, guard, cgroup roots, kube-proxy's tables, binfmt_misc) is removed by
#   cluster-sweep.sh afterwards.
set -euo pipefail
"$(dirname "$0")/cluster-up.sh"
echo "cluster up"
# As PID 1, reap what the scripts left as orphans.
while :; do sleep 3600 & wait $! || true; done
