import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CollectorProfile, Device, LabelSelector } from "../../crds/index.ts";
import { matchesLabelSelector, selectDevices, servedDevices } from "./selection.ts";

function profile(
  name: string,
  selector: LabelSelector,
  opts: {
    ns?: string;
    created?: string;
    mode?: "deployment" | "daemonset";
    deleting?: boolean;
  } = {},
): CollectorProfile {
  return {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "CollectorProfile",
    metadata: {
      name,
      namespace: opts.ns ?? "ns",
      uid: `uid-${name}`,
      creationTimestamp: (opts.created ?? "2026-01-01T00:00:00Z") as unknown as Date,
      ...(opts.deleting && { deletionTimestamp: "2026-02-01T00:00:00Z" as unknown as Date }),
    },
    spec: { deviceSelector: selector, mode: opts.mode ?? "deployment" },
  };
}

function device(
  name: string,
  labels: Record<string, string>,
  opts: { ns?: string; placement?: boolean } = {},
): Device {
  return {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "Device",
    metadata: { name, namespace: opts.ns ?? "ns", labels },
    spec: {
      address: "127.0.0.1",
      type: "ot",
      modbus: {},
      ...(opts.placement && { placement: { nodeName: "edge-1" } }),
    },
  };
}

describe("matchesLabelSelector", () => {
  const labels = { site: "a", tier: "edge" };
  const cases: [string, LabelSelector, Record<string, string> | undefined, boolean][] = [
    ["{} selects everything", {}, labels, true],
    ["{} selects a Device without labels", {}, undefined, true],
    ["matchLabels equal", { matchLabels: { site: "a" } }, labels, true],
    ["matchLabels different value", { matchLabels: { site: "b" } }, labels, false],
    ["matchLabels missing key", { matchLabels: { zone: "x" } }, labels, false],
    [
      "In",
      { matchExpressions: [{ key: "site", operator: "In", values: ["b", "a"] }] },
      labels,
      true,
    ],
    [
      "In, other value",
      { matchExpressions: [{ key: "site", operator: "In", values: ["b"] }] },
      labels,
      false,
    ],
    [
      "In, no label",
      { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
      labels,
      false,
    ],
    [
      "NotIn",
      { matchExpressions: [{ key: "site", operator: "NotIn", values: ["b"] }] },
      labels,
      true,
    ],
    [
      "NotIn, listed",
      { matchExpressions: [{ key: "site", operator: "NotIn", values: ["a"] }] },
      labels,
      false,
    ],
    [
      "NotIn, no label holds",
      { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] },
      labels,
      true,
    ],
    ["Exists", { matchExpressions: [{ key: "tier", operator: "Exists" }] }, labels, true],
    ["Exists, absent", { matchExpressions: [{ key: "zone", operator: "Exists" }] }, labels, false],
    [
      "DoesNotExist",
      { matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] },
      labels,
      true,
    ],
    [
      "DoesNotExist, present",
      { matchExpressions: [{ key: "site", operator: "DoesNotExist" }] },
      labels,
      false,
    ],
    [
      "matchLabels AND expressions",
      {
        matchLabels: { site: "a" },
        matchExpressions: [{ key: "tier", operator: "NotIn", values: ["edge"] }],
      },
      labels,
      false,
    ],
  ];
  for (const [name, selector, l, want] of cases) {
    it(name, () => assert.equal(matchesLabelSelector(selector, l), want));
  }
});

describe("selectDevices", () => {
  it("one profile: Assigned=True, collector set", () => {
    const a = selectDevices([profile("p", {})], [device("d", {})]).get("ns/d");
    assert.equal(a?.collector, "p");
    assert.deepEqual(a?.condition, {
      type: "Assigned",
      status: "True",
      reason: "Selected",
      message: "served by CollectorProfile p",
    });
  });

  it("no profile: Assigned=False reason NoProfile", () => {
    const a = selectDevices(
      [profile("p", { matchLabels: { site: "b" } })],
      [device("d", { site: "a" })],
    ).get("ns/d");
    assert.equal(a?.collector, undefined);
    assert.equal(a?.condition.status, "False");
    assert.equal(a?.condition.reason, "NoProfile");
    assert.equal(a?.condition.message, "no CollectorProfile in namespace ns selects this Device");
  });

  it("several: the oldest serves, reason MultipleProfiles names the others", () => {
    const profiles = [
      profile("young", {}, { created: "2026-03-01T00:00:00Z" }),
      profile("old", {}, { created: "2026-01-01T00:00:00Z" }),
      profile("middle", {}, { created: "2026-02-01T00:00:00Z" }),
    ];
    const a = selectDevices(profiles, [device("d", {})]).get("ns/d");
    assert.equal(a?.collector, "old");
    assert.deepEqual(a?.selectedBy, ["old", "middle", "young"]);
    assert.equal(a?.condition.status, "True");
    assert.equal(a?.condition.reason, "MultipleProfiles");
    assert.equal(
      a?.condition.message,
      "selected by CollectorProfiles old, middle, young; served by the oldest, old (not by middle, young)",
    );
  });

  it("same creation second: the name decides", () => {
    const a = selectDevices([profile("b", {}), profile("a", {})], [device("d", {})]).get("ns/d");
    assert.equal(a?.collector, "a");
  });

  it("only profiles of the Device's namespace select it", () => {
    const a = selectDevices([profile("p", {}, { ns: "other" })], [device("d", {})]).get("ns/d");
    assert.equal(a?.condition.reason, "NoProfile");
  });

  it("a Device with placement is served only by a daemonset profile, and says why otherwise", () => {
    const d = device("d", { site: "a" }, { placement: true });
    const none = selectDevices([profile("dep", { matchLabels: { site: "a" } })], [d]).get("ns/d");
    assert.equal(none?.condition.reason, "NoProfile");
    assert.match(
      none?.condition.message ?? "",
      /CollectorProfile dep matches its labels but runs mode deployment, and a Device with placement is only served by a daemonset profile/,
    );
    const ds = selectDevices(
      [
        profile("dep", {}),
        profile("ds", {}, { mode: "daemonset", created: "2026-06-01T00:00:00Z" }),
      ],
      [d],
    ).get("ns/d");
    assert.equal(ds?.collector, "ds");
    assert.equal(ds?.condition.reason, "Selected");
    // A daemonset profile also serves Devices without placement.
    const plain = selectDevices([profile("ds", {}, { mode: "daemonset" })], [device("e", {})]).get(
      "ns/e",
    );
    assert.equal(plain?.collector, "ds");
  });

  it("a profile being deleted selects nothing: the next oldest takes over", () => {
    const a = selectDevices(
      [
        profile("old", {}, { deleting: true }),
        profile("new", {}, { created: "2026-05-01T00:00:00Z" }),
      ],
      [device("d", {})],
    ).get("ns/d");
    assert.equal(a?.collector, "new");
    assert.equal(a?.condition.reason, "Selected");
  });
});

describe("servedDevices", () => {
  it("the Devices a profile selects and no older profile does, sorted", () => {
    const old = profile("old", { matchLabels: { site: "a" } }, { created: "2026-01-01T00:00:00Z" });
    const all = profile("all", {}, { created: "2026-02-01T00:00:00Z" });
    const devices = [
      device("z", {}),
      device("b", { site: "a" }),
      device("a", {}),
      device("x", {}, { ns: "other" }),
    ];
    assert.deepEqual(
      servedDevices(all, [old, all], devices).map((d) => d.metadata.name),
      ["a", "z"],
    );
    assert.deepEqual(
      servedDevices(old, [old, all], devices).map((d) => d.metadata.name),
      ["b"],
    );
  });
});
