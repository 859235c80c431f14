// Shared by the controller tests: a real apiserver with the CRDs installed,
// an admin client for the test's own actions (its requests are counted apart
// from the operator's), and the operator's write counter.
import assert from "node:assert/strict";
import { ApiextensionsV1Api, KubeConfig } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import {
  API_VERSION,
  type CollectorProfile,
  type Device,
  GROUP,
  kinds,
  loadCrds,
} from "../../../crds/index.ts";
import { eventually } from "../../../e2e/env/eventually.ts";
import { type EnvWith, startEnv } from "../../../e2e/env/index.ts";
import { createLogger } from "../../../runtime/log.ts";
import { createKubeClient, type KubeClient } from "../../kube/client.ts";
import { metricValue } from "../../kube/metrics.ts";
import { type Controller, startController } from "../controller.ts";

export const OPERATOR_NS = "amoskys-system";
export const IMAGE = "ghcr.io/amoskys/amoskys:0.1.0";
export const NATS_URL = "tls://nats.amoskys-system.svc:4222";

export function loadKc(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

export interface Harness {
  env: EnvWith<{ kube: true }>;
  kc: KubeConfig;
  admin: KubeClient;
  start(registry?: Registry): Promise<{ controller: Controller; registry: Registry }>;
  stop(): Promise<void>;
}

/** Starts the apiserver, installs the CRDs (through loadCrds()) and the operator's namespace. */
export async function startHarness(): Promise<Harness> {
  const env = await startEnv({ kube: true });
  const kc = loadKc(env.kube.kubeconfig);
  const admin = createKubeClient(kc, { registry: new Registry(), fieldManager: "test-admin" });
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  for (const crd of await loadCrds()) await ext.createCustomResourceDefinition({ body: crd });
  await eventually(async () => {
    for (const { plural } of kinds) {
      const crd = await ext.readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
      const ok = crd.status?.conditions?.find((c) => c.type === "Established");
      assert.equal(ok?.status, "True", `${plural} not established`);
    }
    await admin.list(API_VERSION, "CollectorProfile");
  });
  await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: OPERATOR_NS } });
  const controllers: Controller[] = [];
  return {
    env,
    kc,
    admin,
    async start(registry = new Registry()) {
      const controller = await startController({
        kc: loadKc(env.kube.kubeconfig),
        operatorNamespace: OPERATOR_NS,
        image: IMAGE,
        natsUrl: NATS_URL,
        registry,
        logger: createLogger("operator", {
          level: (process.env.AMOSKYS_TEST_LOG as "info") ?? "warn",
        }),
        informerBackoffMs: { initial: 200, max: 2000 },
      });
      controllers.push(controller);
      await controller.started;
      return { controller, registry };
    },
    async stop() {
      await Promise.all(controllers.map((c) => c.stop()));
      await env.stop();
    },
  };
}

const READS = new Set(["get", "list", "watch", "discovery"]);

/** Requests of the operator that write (every verb but get, list, watch and discovery). */
export async function writes(registry: Registry): Promise<number> {
  const metric = registry.getSingleMetric("amoskys_operator_api_requests_total");
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => !READS.has(String(v.labels.verb)))
    .reduce((sum, v) => sum + v.value, 0);
}

export function reconciled(registry: Registry, kind: string): Promise<number> {
  return metricValue(registry, "amoskys_operator_reconciles_total", { kind, result: "success" });
}

export function profile(
  namespace: string,
  name: string,
  spec: Partial<CollectorProfile["spec"]> = {},
  annotations?: Record<string, string>,
): CollectorProfile {
  return {
    apiVersion: API_VERSION,
    kind: "CollectorProfile",
    metadata: { name, namespace, ...(annotations && { annotations }) },
    spec: { deviceSelector: {}, ...spec },
  };
}

export function device(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  spec: Partial<Device["spec"]> = {},
): Device {
  return {
    apiVersion: API_VERSION,
    kind: "Device",
    metadata: { name, namespace, labels },
    spec: {
      address: "127.0.0.1",
      type: "ot",
      ...spec,
      ...(Object.keys(spec).some((k) =>
        ["snmp", "modbus", "mqtt", "syslog", "hl7", "fhir", "flows"].includes(k),
      )
        ? {}
        : { modbus: { port: 5020 } }),
    },
  };
}
