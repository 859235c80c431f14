//go:build tools

// Package tools pins the commands this module builds: containerd v2 for the
// test environment's nodes (Debian's 1.6 is too old for the kubelet).
package tools

import (
	_ "github.com/containerd/containerd/v2/cmd/containerd"
	_ "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2"
	_ "github.com/containerd/containerd/v2/cmd/ctr"
)
