// Where the test environment's binaries come from: Debian packages, and Go
// binaries built once from the Go module proxy and cached by version.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const KUBERNETES_VERSION = "v1.36.3";
export const ETCD_VERSION = "v3.5.35";
export const NATS_SERVER_VERSION = "v2.12.15";
export const HELM_VERSION = "v3.22.0";
export const CONTAINERD_VERSION = "v2.3.7";
/** The Node.js of the node images and of the product image's base (package.json pins the same). */
export const NODE_IMAGE_VERSION = "24.21.0";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/**
 * The read-only shared/ folder (testdata, peers doc): $AMOSKYS_SHARED, else
 * beside the checkout (as CI lays it out), else the developers' /work/shared.
 */
export const sharedDir =
  [process.env.AMOSKYS_SHARED, resolve(repoRoot, "..", "shared"), "/work/shared"].find(
    (d): d is string => !!d && existsSync(join(d, "testdata")),
  ) ?? resolve(repoRoot, "..", "shared");
export const cacheDir = process.env.AMOSKYS_CACHE ?? join(homedir(), ".cache", "amoskys");

/** A Go binary the harness builds from a committed helper module under e2e/env/go/. */
export interface GoTarget {
  name: string;
  version: string;
  /** Helper module folder, relative to e2e/env/go/. */
  module: string;
  /** Packages to build; each gives one binary named after its last path element. */
  packages: string[];
  ldflags: string[];
  /** Go build tags, if any. */
  tags?: string[];
}

function versionLdflags(pkgs: string[], v: string): string[] {
  const [major, minor] = v.slice(1).split(".");
  return pkgs.flatMap((p) => [
    `-X ${p}.gitVersion=${v}`,
    `-X ${p}.gitMajor=${major}`,
    `-X ${p}.gitMinor=${minor}`,
    `-X ${p}.gitTreeState=clean`,
    `-X ${p}.buildDate=1970-01-01T00:00:00Z`,
  ]);
}

export const goTargets: GoTarget[] = [
  {
    name: "kube",
    version: KUBERNETES_VERSION,
    module: "kube",
    packages: [
      "k8s.io/kubernetes/cmd/kube-apiserver",
      "k8s.io/kubernetes/cmd/kube-controller-manager",
      "k8s.io/kubernetes/cmd/kubectl",
      "k8s.io/kubernetes/cmd/kubelet",
      "k8s.io/kubernetes/cmd/kube-scheduler",
      "k8s.io/kubernetes/cmd/kube-proxy",
    ],
    // Without these the binaries report v0.0.0-master and kubectl version is useless.
    ldflags: versionLdflags(
      ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"],
      KUBERNETES_VERSION,
    ),
  },
  { name: "etcd", version: ETCD_VERSION, module: "etcd", packages: ["."], ldflags: [] },
  {
    name: "nats-server",
    version: NATS_SERVER_VERSION,
    module: "nats",
    packages: ["github.com/nats-io/nats-server/v2"],
    ldflags: [],
  },
  {
    name: "helm",
    version: HELM_VERSION,
    module: "helm",
    packages: ["helm.sh/helm/v3/cmd/helm"],
    // helm reports this version; without it, `helm version` says v3.x-dev-style defaults.
    ldflags: [`-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`],
  },
  {
    name: "containerd",
    version: CONTAINERD_VERSION,
    module: "containerd",
    packages: [
      "github.com/containerd/containerd/v2/cmd/containerd",
      "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2",
      "github.com/containerd/containerd/v2/cmd/ctr",
    ],
    ldflags: [],
    // Snapshotters the nodes do not use (overlayfs only), with C or kernel needs of their own.
    tags: ["no_btrfs", "no_devmapper", "no_zfs"],
  },
  {
    // promtool: `check rules` and `test rules` of the chart's PrometheusRule.
    name: "promtool",
    version: "v0.316.0",
    module: "prometheus",
    packages: ["github.com/prometheus/prometheus/cmd/promtool"],
    ldflags: ["-X github.com/prometheus/common/version.Version=v0.316.0"],
  },
];

export function targetDir(t: GoTarget): string {
  return join(cacheDir, `${t.name}-${t.version}`);
}

export function targetBinaries(t: GoTarget): string[] {
  return t.packages.map((p) => {
    if (p === ".") return t.name;
    const parts = p.split("/");
    const last = parts.at(-1) ?? p;
    // A module's major-version suffix (…/v2) is not the binary name.
    return /^v\d+$/.test(last) ? (parts.at(-2) ?? last) : last;
  });
}

/** Absolute path of a built binary, e.g. bin("kube-apiserver"). */
export function bin(name: string): string {
  for (const t of goTargets) {
    if (targetBinaries(t).includes(name)) return join(targetDir(t), name);
  }
  throw new Error(`unknown harness binary ${name}`);
}

/** Debian packages the environment uses: binary to check, package that provides it. */
export const debianPackages: { path: string; pkg: string }[] = [
  { path: "/usr/bin/openssl", pkg: "openssl" },
  { path: "/usr/bin/setpriv", pkg: "util-linux" },
  { path: "/usr/bin/bzip2", pkg: "bzip2" },
  { path: "/usr/lib/postgresql/15/bin/postgres", pkg: "postgresql" },
  { path: "/usr/bin/psql", pkg: "postgresql-client" },
  { path: "/usr/sbin/mosquitto", pkg: "mosquitto" },
  { path: "/usr/bin/mosquitto_passwd", pkg: "mosquitto" },
  { path: "/usr/bin/mosquitto_pub", pkg: "mosquitto-clients" },
  { path: "/usr/sbin/snmpd", pkg: "snmpd" },
  { path: "/usr/bin/snmpget", pkg: "snmp" },
  { path: "/usr/sbin/snmptrapd", pkg: "snmptrapd" },
  { path: "/usr/bin/snmpsimd", pkg: "snmpsim" },
  { path: "/usr/lib/python3/dist-packages/pymodbus", pkg: "python3-pymodbus" },
  { path: "/usr/lib/python3/dist-packages/serial", pkg: "python3-serial" },
  { path: "/usr/lib/python3/dist-packages/serial_asyncio", pkg: "python3-serial-asyncio" },
  // Flow exporter and reference collector, syslog forwarder, packet tools.
  { path: "/usr/sbin/softflowd", pkg: "softflowd" },
  { path: "/usr/bin/nfcapd", pkg: "nfdump" },
  { path: "/usr/sbin/rsyslogd", pkg: "rsyslog" },
  { path: "/usr/bin/tcpdump", pkg: "tcpdump" },
  { path: "/usr/bin/tshark", pkg: "tshark" },
  // protoc: an independent protobuf implementation that checks our encodings.
  { path: "/usr/bin/protoc", pkg: "protobuf-compiler" },
  { path: "/usr/include/google/protobuf/timestamp.proto", pkg: "libprotobuf-dev" },
  // Kubernetes nodes (e2e/env/node/): OCI runtime, CNI bridge, image tools, the
  // pod guard and kube-proxy's tables, and the emulated arm64 node.
  { path: "/usr/sbin/runc", pkg: "runc" },
  { path: "/usr/lib/cni/bridge", pkg: "containernetworking-plugins" },
  { path: "/usr/bin/umoci", pkg: "umoci" },
  { path: "/usr/sbin/setcap", pkg: "libcap2-bin" },
  { path: "/usr/sbin/nft", pkg: "nftables" },
  { path: "/usr/bin/qemu-aarch64-static", pkg: "qemu-user-static" },
  { path: "/usr/sbin/update-binfmts", pkg: "binfmt-support" },
  { path: "/usr/sbin/debootstrap", pkg: "debootstrap" },
  { path: "/usr/bin/gcc", pkg: "gcc" },
  { path: "/usr/lib/x86_64-linux-gnu/libc.a", pkg: "libc6-dev" },
  { path: "/usr/bin/bc", pkg: "bc" },
  { path: "/usr/bin/curl", pkg: "curl" },
];

/** The nodes' scripts (../shared/KUBE-NODE.md's recipe) and their base images, by version. */
export const nodeScripts = join(repoRoot, "e2e/env/node");
export const nodeImagesDir = join(cacheDir, `images-node-${NODE_IMAGE_VERSION}`);

export function missingNodeImages(): string[] {
  return ["pause.tar", "node-amd64.tar", "node-arm64.tar"]
    .filter((f) => !existsSync(join(nodeImagesDir, f)))
    .map((f) => `node image ${f}`);
}

export const PG_BIN = "/usr/lib/postgresql/15/bin";

export function missingDebianPackages(): string[] {
  return [...new Set(debianPackages.filter((d) => !existsSync(d.path)).map((d) => d.pkg))];
}

export function missingGoTargets(): GoTarget[] {
  return goTargets.filter((t) => targetBinaries(t).some((b) => !existsSync(join(targetDir(t), b))));
}
