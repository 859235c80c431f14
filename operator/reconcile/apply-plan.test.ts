// planApply: converge (apply what differs, prune what is not wanted) or, when
// the workload changes kind, replace (validate, delete the old one, wait).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { buildCollector } from "../manifests/collector.ts";
import { servedDevices } from "../manifests/selection.ts";
import { loadCase, PARAMS } from "../manifests/testdata/cases.ts";
import { type ApplyPlan, planApply } from "./apply-plan.ts";
import { toWire } from "./compare.ts";

const { profile, devices } = await loadCase("deployment-snmp-modbus");
const build = (replicas: number) => {
  const p = structuredClone(profile);
  p.spec.replicas = replicas;
  return buildCollector({ ...PARAMS, profile: p, devices: servedDevices(p, [p], devices) });
};
const names = (objs: readonly KubernetesObject[]) =>
  objs.map((o) => `${o.kind}/${o.metadata?.name}`);
/** The cache: these objects, as stored. */
const cache = (objs: readonly KubernetesObject[]) => ({
  live: (kind: string, name: string) =>
    objs.find((o) => o.kind === kind && o.metadata?.name === name),
  owned: objs,
});
const plan = (desired: ReturnType<typeof build>, objs: readonly KubernetesObject[]): ApplyPlan => {
  const c = cache(objs);
  return planApply(desired, c.live, c.owned, ["Secret/amoskys-collector-plant-signing-key"]);
};
const W = "amoskys-collector-plant";

describe("planApply", () => {
  const three = build(3);
  const one = build(1);
  const stored3 = toWire(three.objects);
  const stored1 = toWire(one.objects);
  const signingKey = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "amoskys-collector-plant-signing-key" },
  };

  it("applies everything at first, and nothing once stored", () => {
    const first = plan(three, []);
    assert.equal(first.step, "converge");
    assert.deepEqual(first.step === "converge" && first.apply.map((a) => [a.obj.kind, a.field]), [
      ["ConfigMap", "(absent)"],
      ["ServiceAccount", "(absent)"],
      ["Service", "(absent)"],
      ["StatefulSet", "(absent)"],
    ]);
    assert.deepEqual(plan(three, [...stored3, signingKey]), {
      step: "converge",
      apply: [],
      prune: [],
    });
  });

  it("replicas 3 -> 1: deletes the StatefulSet first and applies nothing, not even the ConfigMap", () => {
    const p = plan(one, stored3);
    assert.equal(p.step, "replace");
    assert.deepEqual(p.step === "replace" && names(p.delete), [`StatefulSet/${W}`]);
    // What would change is validated first: the new agent.yaml and the Deployment.
    assert.deepEqual(p.step === "replace" && names(p.validate), [
      `ConfigMap/${W}`,
      `Deployment/${W}`,
    ]);
    // Being deleted: only to wait.
    const deleting = stored3.map((o) =>
      o.kind === "StatefulSet"
        ? { ...o, metadata: { ...o.metadata, deletionTimestamp: new Date(0) } }
        : o,
    );
    assert.deepEqual(plan(one, deleting), { step: "replace", delete: [], validate: [] });
    // Gone: the new objects are applied.
    const gone = plan(
      one,
      stored3.filter((o) => o.kind !== "StatefulSet"),
    );
    assert.equal(gone.step, "converge");
    assert.deepEqual(gone.step === "converge" && gone.apply.map((a) => [a.obj.kind, a.field]), [
      ["ConfigMap", "metadata.annotations.amoskys.io/config-hash"],
      ["Deployment", "(absent)"],
    ]);
  });

  it("replicas 1 -> 3: deletes the Deployment first", () => {
    const p = plan(three, stored1);
    assert.deepEqual(p.step === "replace" && names(p.delete), [`Deployment/${W}`]);
  });

  it("mode daemonset: replaces the workload, then prunes the Service", () => {
    const ds = structuredClone(profile);
    ds.spec.mode = "daemonset";
    delete ds.spec.replicas;
    const desired = buildCollector({
      ...PARAMS,
      profile: ds,
      devices: servedDevices(ds, [ds], devices),
    });
    const p = plan(desired, stored1);
    assert.deepEqual(p.step === "replace" && names(p.delete), [`Deployment/${W}`]);
    const after = plan(
      desired,
      stored1.filter((o) => o.kind !== "Deployment"),
    );
    assert.equal(after.step, "converge");
    assert.deepEqual(after.step === "converge" && names(after.prune), [`Service/${W}`]);
  });
});
