// The chart renders with the real helm, lints clean, installs into the real
// apiserver, and its RBAC gives the operator exactly what it needs.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { type EnvWith, startEnv } from "../e2e/env/index.ts";
import { bin, KUBERNETES_VERSION } from "../e2e/env/toolchain.ts";

const exec = promisify(execFile);
const chart = join(import.meta.dirname, "amoskys");
const NS = "amoskys-system";
const OPERATOR = `system:serviceaccount:${NS}:amoskys-operator`;

async function helm(...args: string[]): Promise<string> {
  return (await exec(bin("helm"), args, { maxBuffer: 64 << 20 })).stdout;
}

describe("helm chart amoskys", () => {
  let env: EnvWith<{ kube: true }>;
  let rendered: string;
  let asOperator: string;

  const kubectl = async (kubeconfig: string, ...args: string[]) =>
    (await exec(env.kube.kubectl, ["--kubeconfig", kubeconfig, ...args])).stdout.trim();
  const canI = async (verb: string, resource: string, ns = "default") => {
    try {
      const [res = "", sub] = resource.split("/");
      const args = ["auth", "can-i", verb, res, "-n", ns, ...(sub ? [`--subresource=${sub}`] : [])];
      return (await kubectl(asOperator, ...args)) === "yes";
    } catch (err) {
      if ((err as { stdout?: string }).stdout?.trim() === "no") return false;
      throw err;
    }
  };

  before(async () => {
    env = await startEnv({ kube: true });
    rendered = await helm(
      "template",
      "amoskys",
      chart,
      "-n",
      NS,
      "--include-crds",
      "--kube-version",
      KUBERNETES_VERSION,
    );
    const file = join(env.root, "rendered.yaml");
    await writeFile(file, rendered);
    await kubectl(env.kube.kubeconfig, "create", "namespace", NS);
    await kubectl(env.kube.kubeconfig, "apply", "--server-side", "-f", file);
    // The operator's own identity, as the apiserver sees its ServiceAccount token.
    asOperator = await env.kube.mintKubeconfig(OPERATOR, [
      "system:serviceaccounts",
      `system:serviceaccounts:${NS}`,
    ]);
  });
  after(() => env?.stop());

  it("lints clean", async () => {
    const out = await helm("lint", chart, "--kube-version", KUBERNETES_VERSION);
    assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it("renders the CRDs, the operator's and analytics' identities, RBAC and workloads", () => {
    const kinds = parseAllDocuments(rendered)
      .map((d) => d.toJSON())
      .filter(Boolean)
      .map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`)
      .sort();
    assert.deepEqual(kinds, [
      "ClusterRole/amoskys-analytics-findings",
      "ClusterRole/amoskys-operator",
      "ClusterRoleBinding/amoskys-analytics-auth-delegator",
      "ClusterRoleBinding/amoskys-analytics-findings",
      "ClusterRoleBinding/amoskys-operator",
      "CustomResourceDefinition/collectorprofiles.amoskys.io",
      "CustomResourceDefinition/detectionrules.amoskys.io",
      "CustomResourceDefinition/devices.amoskys.io",
      "CustomResourceDefinition/discoveryscans.amoskys.io",
      "CustomResourceDefinition/findings.amoskys.io",
      "Deployment/amoskys-analytics",
      "Deployment/amoskys-operator",
      "Role/amoskys-analytics-trust",
      "Role/amoskys-operator-leader-election",
      "RoleBinding/amoskys-analytics-trust",
      "RoleBinding/amoskys-operator-leader-election",
      "Service/amoskys-analytics",
      "ServiceAccount/amoskys-analytics",
      "ServiceAccount/amoskys-operator",
    ]);
  });

  it("lets the operator read Devices and profiles and write only their status", async () => {
    for (const [verb, res] of [
      ["list", "devices.amoskys.io"],
      ["watch", "collectorprofiles.amoskys.io"],
      ["patch", "devices.amoskys.io/status"],
      ["patch", "collectorprofiles.amoskys.io/status"],
      ["patch", "collectorprofiles.amoskys.io"], // the trust-cleanup finalizer
    ] as const) {
      assert.equal(await canI(verb, res), true, `${verb} ${res}`);
    }
    for (const [verb, res] of [
      ["patch", "devices.amoskys.io"], // GitOps owns spec
      ["delete", "devices.amoskys.io"],
      ["create", "collectorprofiles.amoskys.io"],
      ["list", "findings.amoskys.io"], // analytics' business
      ["list", "detectionrules.amoskys.io"],
      ["create", "pods"],
      ["create", "clusterroles.rbac.authorization.k8s.io"],
    ] as const) {
      assert.equal(await canI(verb, res), false, `${verb} ${res} must be denied`);
    }
  });

  it("lets it manage collector workloads and their config, and Leases only in its own namespace", async () => {
    for (const res of [
      "deployments.apps",
      "daemonsets.apps",
      "statefulsets.apps",
      "configmaps",
      "secrets",
      "serviceaccounts",
      "services",
    ]) {
      assert.equal(await canI("create", res), true, `create ${res}`);
      assert.equal(await canI("delete", res), true, `delete ${res}`);
    }
    assert.equal(await canI("update", "leases.coordination.k8s.io", NS), true);
    assert.equal(await canI("update", "leases.coordination.k8s.io", "default"), false);
    assert.equal(await canI("delete", "leases.coordination.k8s.io", NS), false);
  });

  it("with nats.secret: passes --nats-secret and may read exactly that Secret", async () => {
    const withSecret = await helm(
      "template",
      "amoskys",
      chart,
      "-n",
      NS,
      "--set",
      "nats.secret=amoskys-nats",
      "--kube-version",
      KUBERNETES_VERSION,
    );
    const docs = parseAllDocuments(withSecret)
      .map((d) => d.toJSON())
      .filter(Boolean);
    const find = (kind: string, name: string) =>
      docs.find(
        (o: { kind: string; metadata: { name: string } }) =>
          o.kind === kind && o.metadata.name === name,
      );
    const args = find("Deployment", "amoskys-operator").spec.template.spec.containers[0].args;
    assert.ok(args.includes("--nats-secret=amoskys-nats"), String(args));
    assert.equal(
      parseAllDocuments(rendered).some((d) => JSON.stringify(d.toJSON()).includes("nats-secret")),
      false,
      "without the value: no flag, no Role",
    );
    const role = find("Role", "amoskys-operator-nats-secret");
    assert.equal(role.metadata.namespace, NS);
    assert.deepEqual(role.rules, [
      {
        apiGroups: [""],
        resources: ["secrets"],
        resourceNames: ["amoskys-nats"],
        verbs: ["get", "list", "watch"],
      },
    ]);
    const file = join(env.root, "rendered-nats.yaml");
    await writeFile(file, withSecret);
    await kubectl(env.kube.kubeconfig, "apply", "--server-side", "-f", file);
    // The informer lists and watches it by name (a metadata.name field selector).
    for (const verb of ["get", "list", "watch"]) {
      assert.equal(
        await kubectl(asOperator, "auth", "can-i", verb, "secrets/amoskys-nats", "-n", NS),
        "yes",
        `${verb} the NATS Secret`,
      );
    }
    // The copies in the profiles' namespaces: server-side apply (create or patch).
    for (const verb of ["create", "patch"]) {
      assert.equal(await canI(verb, "secrets", "plant-1"), true, `${verb} secrets`);
    }
  });
});
