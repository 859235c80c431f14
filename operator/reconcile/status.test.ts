import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CollectorProfile, Device } from "../../crds/index.ts";
import { ConfigError } from "../manifests/errors.ts";
import { assignDevice } from "../manifests/selection.ts";
import { createMutex, parseKey } from "./context.ts";
import {
  deviceStatusPatch,
  invalidDevicesCondition,
  profileStatus,
  protocolsOf,
  sameStatus,
  withDeviceProblems,
  workloadConditions,
} from "./status.ts";

const t0 = new Date("2026-01-01T00:00:00Z");
const t1 = new Date("2026-01-02T00:00:00Z");

describe("workloadConditions", () => {
  const dep = (status: object, generation = 2, replicas = 2) => ({
    metadata: { generation },
    spec: { replicas },
    status,
  });
  it("not created, not observed, rolling, unavailable, partly available, available", () => {
    assert.equal(workloadConditions("Deployment", undefined).ready.reason, "Progressing");
    assert.deepEqual(workloadConditions("Deployment", dep({ observedGeneration: 1 })).ready, {
      type: "Ready",
      status: "False",
      reason: "Progressing",
      message: "waiting for the Deployment controller to roll out generation 2",
    });
    assert.equal(
      workloadConditions("Deployment", dep({ observedGeneration: 2, updatedReplicas: 1 })).ready
        .message,
      "rolling out: 1 of 2 pods updated",
    );
    const none = workloadConditions(
      "Deployment",
      dep({ observedGeneration: 2, updatedReplicas: 2 }),
    );
    assert.equal(none.ready.reason, "Unavailable");
    assert.equal(none.degraded.status, "False");
    const part = workloadConditions(
      "Deployment",
      dep({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 1 }),
    );
    assert.deepEqual(part.degraded, {
      type: "Degraded",
      status: "True",
      reason: "PodsUnavailable",
      message: "1 of 2 pods available",
    });
    const ok = workloadConditions(
      "Deployment",
      dep({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 }),
    );
    assert.deepEqual(ok.ready, {
      type: "Ready",
      status: "True",
      reason: "Available",
      message: "2 of 2 pods available",
    });
  });
  it("a DaemonSet on no node is Degraded NoMatchingNode", () => {
    const c = workloadConditions("DaemonSet", {
      metadata: { generation: 1 },
      status: { observedGeneration: 1, desiredNumberScheduled: 0 },
    });
    assert.equal(c.ready.reason, "Unavailable");
    assert.equal(c.degraded.reason, "NoMatchingNode");
  });
  it("a StatefulSet counts its replicas like a Deployment", () => {
    // The fields the StatefulSet controller writes (it has no desiredNumberScheduled).
    const sts = (status: object) => ({
      metadata: { generation: 3 },
      spec: { replicas: 3 },
      status,
    });
    const rolling = workloadConditions(
      "StatefulSet",
      sts({ observedGeneration: 3, replicas: 3, currentReplicas: 2, updatedReplicas: 1 }),
    );
    assert.equal(rolling.ready.message, "rolling out: 1 of 3 pods updated");
    const part = workloadConditions(
      "StatefulSet",
      sts({ observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
    );
    assert.equal(part.degraded.reason, "PodsUnavailable");
    assert.equal(part.degraded.message, "2 of 3 pods available");
    const ok = workloadConditions(
      "StatefulSet",
      sts({ observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
    );
    assert.equal(ok.ready.message, "3 of 3 pods available");
  });
});

describe("profileStatus", () => {
  const p: CollectorProfile = {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "CollectorProfile",
    metadata: { name: "p", namespace: "ns", generation: 4 },
    spec: { deviceSelector: {} },
  };
  const rendered = {
    devices: ["b", "a"],
    workload: { kind: "Deployment" as const, name: "amoskys-collector-p" },
    configHash: "0123456789abcdef",
    signingKeyId: "fedcba9876543210",
    conditions: workloadConditions("Deployment", undefined),
  };

  it("counts and names the Devices (sorted, at most 256), with observedGeneration", () => {
    const many = Array.from({ length: 300 }, (_, i) => `d-${String(i).padStart(3, "0")}`);
    const s = profileStatus(p, { ...rendered, devices: many.reverse() }, t0);
    assert.equal(s.devices, 300);
    assert.equal(s.deviceNames?.length, 256);
    assert.equal(s.deviceNames?.[0], "d-000");
    assert.equal(s.observedGeneration, 4);
    assert.deepEqual(
      s.conditions?.map((c) => [c.type, c.status, c.observedGeneration]),
      [
        ["Ready", "False", 4],
        ["Degraded", "False", 4],
      ],
    );
  });

  it("the same outcome later is the same status (no churn)", () => {
    const first = profileStatus(p, rendered, t0);
    const again = profileStatus({ ...p, status: first }, rendered, t1);
    assert.ok(sameStatus(first, again));
    assert.ok(!sameStatus(first, profileStatus(p, { ...rendered, configHash: "x" }, t0)));
  });

  it("an invalid spec changes Ready only; the rest still describes what runs", () => {
    const running = profileStatus(p, rendered, t0);
    const next = { ...p, metadata: { ...p.metadata, generation: 5 }, status: running };
    const s = profileStatus(next, { invalid: "spec.x: bad", signingKeyId: "fedcba9876543210" }, t1);
    assert.equal(s.observedGeneration, 5);
    assert.equal(s.configHash, running.configHash);
    assert.equal(s.devices, 2);
    const ready = s.conditions?.find((c) => c.type === "Ready");
    assert.deepEqual(ready, {
      type: "Ready",
      status: "False",
      observedGeneration: 5,
      lastTransitionTime: "2026-01-01T00:00:00Z",
      reason: "InvalidSpec",
      message: "spec.x: bad",
    });
  });
});

describe("deviceStatusPatch", () => {
  const d: Device = {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "Device",
    metadata: { name: "d", namespace: "ns", generation: 2 },
    spec: {
      address: "10.0.0.1",
      type: "ot",
      flows: {},
      modbus: {},
      snmp: { credentialsSecretRef: { name: "s" } },
    },
  };
  const none = assignDevice([], d);

  it("protocols in CRD order", () => assert.equal(protocolsOf(d.spec), "snmp,modbus,flows"));

  it("writes only what differs, and only the operator's fields", () => {
    const patch = deviceStatusPatch(d, none, t0);
    assert.deepEqual(patch, {
      conditions: [
        {
          type: "Assigned",
          status: "False",
          observedGeneration: 2,
          lastTransitionTime: "2026-01-01T00:00:00Z",
          reason: "NoProfile",
          message: "no CollectorProfile in namespace ns selects this Device",
        },
      ],
      protocols: "snmp,modbus,flows",
    });
    // Stored, together with analytics' fields: nothing to write.
    const stored: Device = {
      ...d,
      status: {
        ...patch,
        lastSeen: "2026-01-01T00:00:00Z",
        conditions: [
          {
            type: "Reachable",
            status: "True",
            reason: "Answering",
            message: "",
            lastTransitionTime: "2026-01-01T00:00:00Z",
          },
          ...(patch?.conditions ?? []),
        ],
      },
    };
    assert.equal(deviceStatusPatch(stored, none, t1), undefined);
    // A new generation: the condition's observedGeneration moves, its time does not.
    const next = deviceStatusPatch(
      { ...stored, metadata: { ...d.metadata, generation: 3 } },
      none,
      t1,
    );
    assert.equal(next?.conditions[0]?.observedGeneration, 3);
    assert.equal(next?.conditions[0]?.lastTransitionTime, "2026-01-01T00:00:00Z");
    assert.equal(next?.conditions.length, 1, "never the conditions analytics owns");
  });
});

describe("work-queue keys and the trust lock", () => {
  it("parses the keys it makes", () => {
    assert.deepEqual(parseKey("profile/ns/p"), { kind: "profile", namespace: "ns", name: "p" });
    assert.deepEqual(parseKey("device/ns/d.x"), { kind: "device", namespace: "ns", name: "d.x" });
    assert.deepEqual(parseKey("trust"), { kind: "trust" });
    assert.throws(() => parseKey("profile/ns"), /not a work-queue key/);
  });

  it("runs one holder at a time, in order, even after a failure", async () => {
    const lock = createMutex();
    const events: string[] = [];
    const job =
      (name: string, fail = false) =>
      async () => {
        events.push(`${name}:start`);
        await new Promise((r) => setImmediate(r));
        events.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      lock.run(job("a", true)),
      lock.run(job("b")),
      lock.run(job("c")),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["rejected", "fulfilled", "fulfilled"],
    );
    assert.deepEqual(events, ["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
  });
});

describe("Devices left out", () => {
  const d: Device = {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "Device",
    metadata: { name: "d", namespace: "ns" },
    spec: { address: "10.0.0.1", type: "ot", modbus: {} },
  };
  const p: CollectorProfile = {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "CollectorProfile",
    metadata: { name: "main", namespace: "ns" },
    spec: { deviceSelector: {} },
  };
  const err = new ConfigError("spec.snmp.credentialsSecretRef.keys.community", "bad");

  it("a selected Device with problems is not assigned, and says why", () => {
    const a = withDeviceProblems(assignDevice([p], d), [err]);
    assert.equal(a.collector, undefined);
    assert.deepEqual(a.condition, {
      type: "Assigned",
      status: "False",
      reason: "InvalidSpec",
      message:
        "selected by CollectorProfile main but left out of its configuration: spec.snmp.credentialsSecretRef.keys.community: bad",
    });
    assert.deepEqual(withDeviceProblems(assignDevice([], d), [err]).condition.reason, "NoProfile");
    assert.equal(withDeviceProblems(assignDevice([p], d), []).collector, "main");
  });

  it("the profile is Degraded InvalidDevice, naming at most 10 Devices", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ device: `d${i}`, errors: [err] }));
    const c = invalidDevicesCondition(many);
    assert.equal(c.status, "True");
    assert.equal(c.reason, "InvalidDevice");
    assert.match(
      c.message,
      /^12 selected Devices are left out of the configuration: Device d0: spec\.snmp/,
    );
    assert.match(c.message, /Device d9: .*; and 2 more$/);
    assert.doesNotMatch(c.message, /Device d10/);
  });
});
