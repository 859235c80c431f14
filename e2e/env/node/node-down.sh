#!/bin/bash
# node-down.sh ID -- kill the node's namespace (containerd, shims, containers die with it), drop its cgroups
. "$(dirname "$0")/node-env.sh"; id=$1
if [ -f $S/pids/node-$id ]; then p=$(cat $S/pids/node-$id); kill -KILL $p 2>/dev/null  # pid-ns init dies too (--kill-child), taking everything with it
  for i in $(seq 50); do kill -0 $p 2>/dev/null || break; sleep 0.1; done; kill -KILL $p 2>/dev/null; rm -f $S/pids/node-$id; fi
sleep 0.5
for h in /sys/fs/cgroup/*/; do [ -d $h/$CG-$id ] && find $h/$CG-$id -depth -type d -exec rmdir {} \; 2>/dev/null; done
for h in /sys/fs/cgroup/*/; do [ -d $h/$CG-$id ] && echo "left: $h/$CG-$id"; done; true
