#!/bin/bash
# cluster-sweep.sh [--wait-eof] -- removes the host state of a run whose processes are gone (their pid
#   namespace died with cluster-run.sh). With --wait-eof it first waits for EOF on stdin: the test
#   process holds the other end, so the sweep runs when that process ends, however it ends.
. "$(dirname "$0")/node-env.sh"
[ "${1:-}" = --wait-eof ] && cat >/dev/null
# The pid files hold pids of the dead namespace: here they would name unrelated processes.
rm -rf $S/pids
# The slot's lock: a new run must not take the slot while its host state is being removed.
exec 9>>$LOCKS/amoskys-node-$SLOT.lock; flock -w 60 9 || { echo "slot $SLOT still held" >&2; exit 1; }
for i in 1 2 3; do "$HERE/cluster-down.sh" >/dev/null 2>&1; left=$(for h in /sys/fs/cgroup/*/; do
  [ -d $h/$CG-a ] || [ -d $h/$CG-b ] && echo $h; done); [ -z "$left" ] && break; sleep 1; done
[ -z "$left" ] || echo "cgroups left: $left" >&2
true
