// A single arm64 edge site as `values-edge.yaml` installs it: one operator and
// analytics, both on node-arm64 (linux-arm64 Node.js under qemu-user), an arm64
// DaemonSet collector, a syslog brute force to it → a Finding.
//
// Under qemu-user the processes' memory includes qemu's own (the operator's
// working set is ~360 MB there against ~100 MB natively), so the test raises the
// edge file's memory limits; every other value is the file's.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { eventually } from "../env/eventually.ts";
import { startEnv } from "../env/index.ts";
import { repoRoot } from "../env/toolchain.ts";
import { buildImage } from "../image/build.ts";
import { sshBruteForce } from "../scenario/attacks.ts";
import { clusterKubectl, createReleaseSecrets, helmInstall, type ReleaseEnv } from "./install.ts";

const SYS = "amoskys-system";
const NS = "edge-1";
const SYSLOG_PORT = 5514;
const QEMU_MEMORY = "1Gi";

describe("helm install -f values-edge.yaml: everything on the arm64 node", () => {
  let env: ReleaseEnv;
  const { kubectl, getJson } = clusterKubectl(() => env);

  before(async () => {
    const images = await buildImage(["amd64", "arm64"]);
    env = await startEnv({
      cluster: { images, services: true },
      nats: { users: ["collector", "analytics"] },
      postgres: true,
    });
    await createReleaseSecrets(kubectl, env, SYS);
    try {
      await helmInstall(env, SYS, [
        ...["-f", join(repoRoot, "helm/amoskys/values-edge.yaml")],
        ...["--set", `operator.resources.limits.memory=${QEMU_MEMORY}`],
        ...["--set", `analytics.resources.limits.memory=${QEMU_MEMORY}`],
      ]);
    } catch (err) {
      const pods = await kubectl("get", "pods", "-A", "-o", "wide").catch(String);
      throw new Error(`helm install failed: ${(err as Error).message}\n${pods}`);
    }
  });
  after(() => env?.stop());

  it("runs the operator and analytics on node-arm64, and an arm64 collector turns an attack into a Finding", async () => {
    const sys = (await getJson("pods", "-n", SYS)).items as {
      metadata: { name: string };
      spec: { nodeName: string };
    }[];
    assert.deepEqual(
      sys.map((p) => p.spec.nodeName),
      ["node-arm64", "node-arm64"],
      `one operator and analytics, on the arm64 node: ${sys.map((p) => p.metadata.name)}`,
    );
    const operator = sys.find((p) => p.metadata.name.startsWith("amoskys-operator"));
    assert.match(
      await kubectl(
        "exec",
        "-n",
        SYS,
        operator?.metadata.name ?? "",
        "--",
        "node",
        "-p",
        "process.arch",
      ),
      /^arm64$/,
    );
    const host = env.cluster.hostIp;
    const manifests = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
      {
        apiVersion: "amoskys.io/v1alpha1",
        kind: "CollectorProfile",
        metadata: { name: "site", namespace: NS },
        spec: {
          deviceSelector: {},
          mode: "daemonset",
          architecture: "arm64",
          listeners: { syslog: SYSLOG_PORT },
          batching: { maxEvents: 100, maxDelayMs: 500 },
          resources: {
            requests: { cpu: "50m", memory: "64Mi" },
            limits: { memory: QEMU_MEMORY },
          },
        },
      },
      {
        apiVersion: "amoskys.io/v1alpha1",
        kind: "Device",
        metadata: { name: "line-gateway", namespace: NS },
        spec: { address: host, type: "ot", syslog: { sourceAddresses: [host] } },
      },
    ];
    const file = join(env.root, "edge.yaml");
    await writeFile(file, manifests.map((m) => stringify(m)).join("---\n"));
    await kubectl("apply", "--server-side", "-f", file);
    await kubectl("apply", "--server-side", "-n", NS, "-f", join(repoRoot, "examples/rules"));
    await eventually(async () => {
      const cp = await getJson("collectorprofile", "site", "-n", NS);
      const ready = cp.status?.conditions?.find((c: { type: string }) => c.type === "Ready");
      assert.equal(ready?.status, "True", JSON.stringify(cp.status));
    }, 300_000);
    const [pod] = (await getJson("pods", "-n", NS)).items as {
      spec: { nodeName: string };
      status: { podIP: string };
    }[];
    assert.equal(pod?.spec.nodeName, "node-arm64");
    await eventually(async () => {
      await sshBruteForce(SYSLOG_PORT, 12, "198.51.100.23", pod.status.podIP);
      const items = (await getJson("findings", "-n", NS)).items as { spec: { rule: string } }[];
      assert.ok(
        items.some((f) => f.spec.rule === "login-brute-force"),
        JSON.stringify(items.map((f) => f.spec)),
      );
    }, 240_000);
  });
});
