// What the analytics process needs around it, as analytics/analytics.test.ts
// sets it up: CRDs, the chart's analytics RBAC (and a kubeconfig of its
// service account), the trust ConfigMap the operator would publish for the
// profile plant-1/edge, the Devices, the example rule pack plus the probe rule,
// and the bench-only LISTEN/NOTIFY trigger on findings.
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type pg from "pg";
import { stringify } from "yaml";
import { keyIdOf, rawPublicKey, seedOf } from "../../../proto/signing.ts";
import { renderChart } from "../../chart.ts";
import type { KubeEnv } from "../../env/index.ts";
import { repoRoot } from "../../env/toolchain.ts";
import {
  DEVICES,
  deviceAddress,
  deviceName,
  NAMESPACE,
  PROBE_DEVICE,
  PROBE_MESSAGE,
} from "./workload.ts";

const run = promisify(execFile);
export const OPERATOR_NS = "amoskys-system";
export const PROFILE = `${NAMESPACE}/edge`;
export const PROBE_RULE = "bench-probe";
export const NOTIFY_CHANNEL = "amoskys_bench_probe";

export async function setupKube(
  kube: KubeEnv,
  root: string,
): Promise<{ kubeconfig: string; seed: string }> {
  const kubectl = async (...args: string[]) =>
    (await run(kube.kubectl, ["--kubeconfig", kube.kubeconfig, ...args], { maxBuffer: 16 << 20 }))
      .stdout;
  await kubectl("apply", "--server-side", "-f", join(repoRoot, "crds"));
  await kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s");
  await kubectl("create", "namespace", OPERATOR_NS);
  await kubectl("create", "namespace", NAMESPACE);
  const rbac = await renderChart({
    namespace: OPERATOR_NS,
    showOnly: "templates/analytics-rbac.yaml",
    file: join(root, "analytics-rbac.yaml"),
  });
  await kubectl("apply", "--server-side", "-f", rbac);
  const kubeconfig = await kube.mintKubeconfig(
    `system:serviceaccount:${OPERATOR_NS}:amoskys-analytics`,
    ["system:serviceaccounts", `system:serviceaccounts:${OPERATOR_NS}`],
  );

  // The profile's key: its pods sign as plant-1/edge/<pod>.
  const { privateKey } = generateKeyPairSync("ed25519");
  const pub = rawPublicKey(privateKey);
  const trust = {
    producers: { [PROFILE]: [{ keyId: keyIdOf(pub), publicKey: pub.toString("base64") }] },
  };
  await kubectl(
    "create",
    "configmap",
    "amoskys-trust",
    "-n",
    OPERATOR_NS,
    `--from-literal=trust.yaml=${stringify(trust)}`,
  );

  const device = (name: string, address: string) => ({
    apiVersion: "amoskys.io/v1alpha1",
    kind: "Device",
    metadata: { name, namespace: NAMESPACE },
    spec: { address, type: "network", syslog: { sourceAddresses: [address] } },
  });
  const docs = [
    ...Array.from({ length: DEVICES }, (_, i) => device(deviceName(i), deviceAddress(i))),
    device(PROBE_DEVICE, "10.0.99.1"),
    {
      apiVersion: "amoskys.io/v1alpha1",
      kind: "DetectionRule",
      metadata: { name: PROBE_RULE, namespace: NAMESPACE },
      spec: {
        type: "match",
        severity: "info",
        title: "Benchmark probe",
        description: "Every probe line of the analytics benchmark updates this finding.",
        selector: {
          kinds: ["log"],
          where: [{ field: "log.message", op: "matches", value: `^${PROBE_MESSAGE} ` }],
        },
        suppression: { window: "1s" },
      },
    },
  ];
  const manifests = join(root, "bench-objects.yaml");
  await writeFile(manifests, docs.map((d) => stringify(d)).join("---\n"));
  await kubectl("apply", "--server-side", "-f", manifests);
  // The example rule pack too, so detection does the work it would do in a plant.
  await kubectl("apply", "--server-side", "-n", NAMESPACE, "-f", join(repoRoot, "examples/rules"));
  return { kubeconfig, seed: seedOf(privateKey).toString("hex") };
}

/** Bench database only: a NOTIFY with last_seen (epoch ms) whenever the probe rule's finding row is written. */
export async function probeTrigger(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE OR REPLACE FUNCTION amoskys_bench_notify() RETURNS trigger AS $$
    BEGIN
      IF NEW.rule_name = '${PROBE_RULE}' THEN
        PERFORM pg_notify('${NOTIFY_CHANNEL}', round(extract(epoch FROM NEW.last_seen) * 1000)::bigint::text);
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await pool.query(`
    CREATE OR REPLACE TRIGGER amoskys_bench_notify AFTER INSERT OR UPDATE ON findings
    FOR EACH ROW EXECUTE FUNCTION amoskys_bench_notify()`);
}
