#!/bin/bash
# pki.sh DIR -- CA + every cert the cluster uses (idempotent: skips existing files)
set -euo pipefail
. "$(dirname "$0")/node-env.sh"
d=$1; mkdir -p "$d"; cd "$d"
[ -f ca.key ] || { openssl genrsa -out ca.key 2048 2>/dev/null; openssl req -x509 -new -key ca.key -days 30 -subj /CN=amoskys-node-ca -out ca.crt; }
issue() { # name cn org usage(server|client) san
  local n=$1 cn=$2 o=$3 u=$4 san=${5:-}
  [ -f $n.crt ] && return 0
  openssl genrsa -out $n.key 2048 2>/dev/null
  local subj="/CN=$cn"; [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl req -new -key $n.key -subj "$subj" -out $n.csr
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    [ $u = server ] && echo "extendedKeyUsage=serverAuth" || echo "extendedKeyUsage=clientAuth"
    [ -n "$san" ] && echo "subjectAltName=$san"; } > $n.ext
  openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile $n.ext -out $n.crt 2>/dev/null
  rm -f $n.csr $n.ext
}
issue apiserver kube-apiserver "" server "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.0.0.1,IP:$NET.0.1"
issue admin admin system:masters client
issue kcm system:kube-controller-manager system:masters client
issue scheduler system:kube-scheduler "" client
issue kube-proxy system:kube-proxy "" client
issue apiserver-kubelet-client kube-apiserver-kubelet-client system:masters client
issue kubelet-node-amd64 system:node:node-amd64 system:nodes client
issue kubelet-node-arm64 system:node:node-arm64 system:nodes client
issue kubelet-serving-node-amd64 node-amd64 "" server "DNS:node-amd64,IP:$NET.0.1"
issue kubelet-serving-node-arm64 node-arm64 "" server "DNS:node-arm64,IP:$NET.0.2"
[ -f sa.key ] || { openssl genrsa -out sa.key 2048 2>/dev/null; openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null; }
kc() { # name user cert  -> name.kubeconfig
  cat > $1.kubeconfig <<KC
apiVersion: v1
kind: Config
clusters: [{name: amoskys-test, cluster: {server: "https://$NET.0.1:${API}", certificate-authority: $d/ca.crt}}]
users: [{name: $2, user: {client-certificate: $d/$3.crt, client-key: $d/$3.key}}]
contexts: [{name: amoskys-test, context: {cluster: amoskys-test, user: $2}}]
current-context: amoskys-test
KC
}
kc admin admin admin; kc kcm kcm kcm; kc scheduler scheduler scheduler; kc kube-proxy kube-proxy kube-proxy
kc kubelet-node-amd64 node kubelet-node-amd64; kc kubelet-node-arm64 node kubelet-node-arm64
