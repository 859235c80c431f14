#!/bin/bash
# cp-up.sh -- etcd, kube-controller-manager and kube-scheduler on 127.0.0.1; kube-apiserver on the pod
#   bridge's host address $NET.0.1 (listening on nothing but the run's bridge), so that the kubernetes
#   Service has an endpoint and pods reach the API as on a real cluster (flags as e2e/env/services/kube.ts)
set -euo pipefail
. "$(dirname "$0")/node-env.sh"   # ETCD ETCDPEER API KCM SCHED: the ports
P=$S/pki; B=$KB; L=$S/cp; mkdir -p $L $S/pids
start() { local name=$1; shift; nohup "$@" > $L/$name.log 2>&1 & echo $! > $S/pids/$name; }
wait_ok() { for i in $(seq 1 ${3:-240}); do curl -fsk ${2:-} "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "timeout $1" >&2; return 1; }
t0=$(date +%s.%N)
start etcd $EB/etcd --data-dir=$L/etcd --listen-client-urls=http://127.0.0.1:$ETCD --advertise-client-urls=http://127.0.0.1:$ETCD \
  --listen-peer-urls=http://127.0.0.1:$ETCDPEER --initial-advertise-peer-urls=http://127.0.0.1:$ETCDPEER \
  --initial-cluster=default=http://127.0.0.1:$ETCDPEER --unsafe-no-fsync --log-level=warn
wait_ok http://127.0.0.1:$ETCD/health
start kube-apiserver $B/kube-apiserver --etcd-servers=http://127.0.0.1:$ETCD --bind-address=$NET.0.1 --advertise-address=$NET.0.1 \
  --secure-port=$API --cert-dir=$L --tls-cert-file=$P/apiserver.crt --tls-private-key-file=$P/apiserver.key --client-ca-file=$P/ca.crt \
  --authorization-mode=RBAC --service-account-issuer=https://$NET.0.1:$API --service-account-key-file=$P/sa.pub \
  --service-account-signing-key-file=$P/sa.key --service-cluster-ip-range=10.0.0.0/24 --allow-privileged=true --profiling=false --v=1 \
  --kubelet-client-certificate=$P/apiserver-kubelet-client.crt --kubelet-client-key=$P/apiserver-kubelet-client.key \
  --kubelet-preferred-address-types=InternalIP
wait_ok https://$NET.0.1:$API/readyz "--cacert $P/ca.crt --cert $P/admin.crt --key $P/admin.key"
t_api=$(date +%s.%N)
start kube-controller-manager $B/kube-controller-manager --kubeconfig=$P/kcm.kubeconfig --authentication-kubeconfig=$P/kcm.kubeconfig \
  --authorization-kubeconfig=$P/kcm.kubeconfig --bind-address=127.0.0.1 --secure-port=$KCM --leader-elect=false \
  --controllers=garbage-collector-controller,namespace-controller,serviceaccount-controller,root-ca-certificate-publisher-controller,deployment-controller,replicaset-controller,daemonset-controller,statefulset-controller,job-controller,endpointslice-controller,pod-garbage-collector-controller,ttl-controller,node-lifecycle-controller,taint-eviction-controller \
  --root-ca-file=$P/ca.crt --service-account-private-key-file=$P/sa.key --use-service-account-credentials=false --v=1
start kube-scheduler $B/kube-scheduler --kubeconfig=$P/scheduler.kubeconfig --authentication-kubeconfig=$P/scheduler.kubeconfig \
  --authorization-kubeconfig=$P/scheduler.kubeconfig --bind-address=127.0.0.1 --secure-port=$SCHED --leader-elect=false --v=1
wait_ok https://127.0.0.1:$KCM/healthz; wait_ok https://127.0.0.1:$SCHED/healthz
t1=$(date +%s.%N)
echo "control plane up: apiserver ready after $(echo "$t_api-$t0"|bc)s, all ready after $(echo "$t1-$t0"|bc)s"
