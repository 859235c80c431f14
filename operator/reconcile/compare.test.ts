import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { firstDifference, isApplied, toWire } from "./compare.ts";

describe("isApplied", () => {
  const desired = {
    metadata: { name: "x", labels: { a: "1" } },
    spec: {
      replicas: 1,
      template: {
        spec: {
          containers: [
            {
              name: "agent",
              env: [{ name: "A", value: "1" }],
              resources: { requests: { cpu: "0.5", memory: "1024Mi" } },
            },
          ],
          volumes: [{ name: "v", emptyDir: { sizeLimit: "272Mi" } }],
        },
      },
    },
  };
  const live = {
    metadata: { name: "x", labels: { a: "1", extra: "y" }, resourceVersion: "7" },
    spec: {
      replicas: 1,
      strategy: { type: "RollingUpdate" },
      template: {
        spec: {
          containers: [
            {
              name: "agent",
              env: [{ name: "A", value: "1" }],
              resources: { requests: { cpu: "500m", memory: "1Gi" } },
              terminationMessagePath: "/dev/termination-log",
            },
          ],
          volumes: [{ name: "v", emptyDir: { sizeLimit: "285212672" } }],
        },
      },
    },
    status: { replicas: 1 },
  };

  it("ignores what the apiserver adds and canonical quantities", () => {
    assert.equal(firstDifference(desired, live), undefined);
  });

  it("sees a changed field, a changed list entry, an extra list entry", () => {
    const replicas = structuredClone(live);
    replicas.spec.replicas = 3;
    assert.equal(firstDifference(desired, replicas), "spec.replicas");
    const env = structuredClone(live);
    (env.spec.template.spec.containers[0] as { env: unknown[] }).env = [{ name: "A", value: "2" }];
    assert.equal(firstDifference(desired, env), "spec.template.spec.containers[0].env[0].value");
    const more = structuredClone(live);
    more.spec.template.spec.containers[0]?.env.push({ name: "B", value: "x" });
    assert.equal(firstDifference(desired, more), "spec.template.spec.containers[0].env");
    const mem = structuredClone(live);
    (
      mem.spec.template.spec.containers[0] as { resources: { requests: { memory: string } } }
    ).resources.requests.memory = "2Gi";
    assert.equal(
      firstDifference(desired, mem),
      "spec.template.spec.containers[0].resources.requests.memory",
    );
  });

  it("a missing object or label differs; empty desired lists and maps match absence", () => {
    assert.equal(isApplied(desired, undefined), false);
    assert.equal(firstDifference({ metadata: { labels: { b: "2" } } }, live), "metadata.labels.b");
    assert.equal(isApplied({ spec: { tolerations: [] }, data: {} }, { spec: {} }), true);
  });

  it("toWire turns client-node models into JSON", () => {
    const t = new Date("2026-01-01T00:00:00Z");
    assert.deepEqual(toWire({ a: t, b: undefined }), { a: "2026-01-01T00:00:00.000Z" });
  });
});
