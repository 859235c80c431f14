// A real Kubernetes control plane: etcd, kube-apiserver (secure port, client
// certificates, RBAC, service-account keys, as envtest runs it) and
// kube-controller-manager (garbage collector, namespace and service-account
// controllers, so ownerReference cascades and namespace deletion work).
import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { type EnvContext, serviceDir } from "../context.ts";
import type { KeyPair } from "../pki.ts";
import { freePort } from "../ports.ts";
import { httpOk } from "../probe.ts";
import { type Service, type ServiceSpec, startService, waitReady } from "../proc.ts";
import { bin, KUBERNETES_VERSION } from "../toolchain.ts";

export interface KubeEnv {
  version: string;
  /** https://127.0.0.1:<port> */
  server: string;
  /** kubeconfig of an admin (group system:masters). */
  kubeconfig: string;
  kubectl: string;
  /** A kubeconfig for any user and groups, authenticated by a client certificate. */
  mintKubeconfig(user: string, groups?: string[]): Promise<string>;
  /** Stops the kube-apiserver, waits `downMs`, starts it again on the same port and waits until ready. */
  restartApiserver(downMs?: number): Promise<void>;
  services: Service[];
}

export async function startKube(ctx: EnvContext): Promise<KubeEnv> {
  const dir = await serviceDir(ctx, "kube");
  const [etcdPort, etcdPeerPort, apiPort, kcmPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const server = `https://127.0.0.1:${apiPort}`;

  const [apiCert, adminCert, kcmClient, kcmServing] = await Promise.all([
    ctx.ca.issue({
      file: "kube-apiserver",
      cn: "kube-apiserver",
      dns: ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"],
      ips: ["127.0.0.1", "10.0.0.1"],
      usage: "server",
    }),
    ctx.ca.issue({ file: "admin", cn: "admin", orgs: ["system:masters"], usage: "client" }),
    // The harness controller-manager runs with one identity for all controllers.
    ctx.ca.issue({
      file: "kcm-client",
      cn: "system:kube-controller-manager",
      orgs: ["system:masters"],
      usage: "client",
    }),
    ctx.ca.issue({
      file: "kcm-serving",
      cn: "kube-controller-manager",
      dns: ["localhost"],
      ips: ["127.0.0.1"],
      usage: "server",
    }),
  ]);
  const sa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const saKey = join(dir, "sa.key");
  const saPub = join(dir, "sa.pub");
  await writeFile(saKey, sa.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  await writeFile(saPub, sa.publicKey.export({ type: "spki", format: "pem" }));

  const writeKubeconfig = async (name: string, user: string, pair: KeyPair) => {
    const path = join(dir, `${name}.kubeconfig`);
    await writeFile(path, kubeconfigYaml(server, ctx.ca.cert, user, pair), { mode: 0o600 });
    return path;
  };
  const adminKubeconfig = await writeKubeconfig("admin", "admin", adminCert);
  const kcmKubeconfig = await writeKubeconfig("kcm", "kube-controller-manager", kcmClient);

  const services: Service[] = [];
  const stopAll = () => Promise.all(services.map((s) => s.stop()));
  const admin = { ca: ctx.ca.cert, ...adminCert };
  let apiserverSpec: ServiceSpec | undefined;
  const apiserverIndex = () => services.findIndex((s) => s.name === "kube-apiserver");
  const apiserverReady = async () => {
    const svc = services[apiserverIndex()];
    if (svc) await waitReady(svc, () => httpOk(`${server}/readyz`, admin), 120_000);
  };
  try {
    const etcd = startService({
      name: "etcd",
      command: bin("etcd"),
      args: [
        `--data-dir=${join(dir, "etcd")}`,
        `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-cluster=default=http://127.0.0.1:${etcdPeerPort}`,
        "--unsafe-no-fsync", // test data only; as envtest does
        "--log-level=warn",
      ],
      logFile: join(dir, "etcd.log"),
    });
    services.push(etcd);
    await waitReady(etcd, () => httpOk(`http://127.0.0.1:${etcdPort}/health`));

    apiserverSpec = {
      name: "kube-apiserver",
      command: bin("kube-apiserver"),
      args: [
        `--etcd-servers=http://127.0.0.1:${etcdPort}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${apiPort}`,
        `--cert-dir=${dir}`,
        `--tls-cert-file=${apiCert.cert}`,
        `--tls-private-key-file=${apiCert.key}`,
        `--client-ca-file=${ctx.ca.cert}`,
        "--authorization-mode=RBAC",
        `--service-account-issuer=${server}`,
        `--service-account-key-file=${saPub}`,
        `--service-account-signing-key-file=${saKey}`,
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        "--profiling=false",
        "--v=1",
      ],
      logFile: join(dir, "kube-apiserver.log"),
    };
    services.push(startService(apiserverSpec));
    await apiserverReady();

    const kcm = startService({
      name: "kube-controller-manager",
      command: bin("kube-controller-manager"),
      args: [
        `--kubeconfig=${kcmKubeconfig}`,
        `--authentication-kubeconfig=${kcmKubeconfig}`,
        `--authorization-kubeconfig=${kcmKubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${kcmPort}`,
        `--tls-cert-file=${kcmServing.cert}`,
        `--tls-private-key-file=${kcmServing.key}`,
        "--leader-elect=false",
        "--controllers=garbage-collector-controller,namespace-controller,serviceaccount-controller",
        `--root-ca-file=${ctx.ca.cert}`,
        "--use-service-account-credentials=false",
        "--v=1",
      ],
      logFile: join(dir, "kube-controller-manager.log"),
    });
    services.push(kcm);
    await waitReady(kcm, () => httpOk(`https://127.0.0.1:${kcmPort}/healthz`, { ca: ctx.ca.cert }));
  } catch (err) {
    await stopAll();
    throw err;
  }

  let minted = 0;
  services.reverse(); // stop order: controller-manager, apiserver, etcd
  return {
    version: KUBERNETES_VERSION,
    server,
    kubeconfig: adminKubeconfig,
    kubectl: bin("kubectl"),
    async mintKubeconfig(user, groups = []) {
      const file = `user-${++minted}`;
      const pair = await ctx.ca.issue({ file, cn: user, orgs: groups, usage: "client" });
      return writeKubeconfig(file, user, pair);
    },
    services,
    async restartApiserver(downMs = 0) {
      const i = apiserverIndex();
      if (i < 0 || !apiserverSpec) throw new Error("kube-apiserver is not running");
      await services[i]?.stop();
      if (downMs > 0) await sleep(downMs);
      // Same port, certificates and etcd: clients reconnect to the same URL.
      services[i] = startService(apiserverSpec);
      await apiserverReady();
    },
  };
}

function kubeconfigYaml(server: string, ca: string, user: string, pair: KeyPair): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "amoskys-test", cluster: { server, "certificate-authority": ca } }],
    users: [{ name: user, user: { "client-certificate": pair.cert, "client-key": pair.key } }],
    contexts: [{ name: "amoskys-test", context: { cluster: "amoskys-test", user } }],
    "current-context": "amoskys-test",
  });
}
