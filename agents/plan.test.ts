// Pure planning: which devices a pod serves and which collectors it runs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1StatefulSet } from "@kubernetes/client-node";
import { buildCollector } from "../operator/manifests/collector.ts";
import { servedDevices as selectDevices } from "../operator/manifests/selection.ts";
import { loadCase, PARAMS } from "../operator/manifests/testdata/cases.ts";
import { parseAgentConfig } from "./config.ts";
import {
  diffCollectors,
  heardDevices,
  PlacementError,
  planCollectors,
  servedDevices,
} from "./plan.ts";

const base = `
apiVersion: amoskys.io/v1alpha1
kind: AgentConfig
collector: { namespace: plant-1, profile: edge, mode: deployment, shards: 2 }
producer: { id: plant-1/edge, keyId: 0123456789abcdef, keyFile: /etc/amoskys/signing/ed25519.key }
bus: { url: "tls://nats:4222", stream: AMOSKYS_TELEMETRY }
batching: { maxEvents: 100, maxDelayMs: 500 }
outbox: { dir: /var/lib/amoskys/outbox, maxBytes: 1048576 }
listeners: { syslog: 5514, hl7: 2575, flows: 0, snmpTraps: 1162 }
intervals: { snmp: 30, modbus: 5, fhir: 300 }
ops: { port: 9464 }
devices:
  - { namespace: plant-1, name: plc-1, address: 10.0.0.1, type: ot, subject: s.plc-1, shard: 0,
      modbus: { port: 502, unitId: 1, intervalSeconds: 5, timeoutSeconds: 3, registers: [] } }
  - { namespace: plant-1, name: sw-1, address: 10.0.0.2, type: network, subject: s.sw-1, shard: 1,
      snmp: { version: v2c, port: 161, intervalSeconds: 30, timeoutSeconds: 5, profiles: [system], oids: [], tables: [],
              credentials: { communityFile: /etc/amoskys/secrets/sw/community } } }
  - { namespace: plant-1, name: srv-1, address: 10.0.0.3, type: endpoint, subject: s.srv-1, shard: 1,
      syslog: { sourceAddresses: [10.0.0.3] }, flows: { exporterAddress: 10.0.0.3 } }
`;

describe("planning", () => {
  const cfg = parseAgentConfig(base);

  it("a pod of a sharded deployment serves its shard's devices", () => {
    assert.deepEqual(
      servedDevices(cfg, { shard: 0 }).map((d) => d.name),
      ["plc-1"],
    );
    assert.deepEqual(
      servedDevices(cfg, { shard: 1 }).map((d) => d.name),
      ["sw-1", "srv-1"],
    );
    assert.throws(() => servedDevices(cfg, {}), /AMOSKYS_SHARD .* \(it is not set\)$/);
    // A value that is not a shard (AMOSKYS_SHARD=abc, 1.5, -1, 2) is refused, never guessed.
    for (const shard of [Number("abc"), 1.5, -1, 2]) {
      assert.throws(
        () => servedDevices(cfg, { shard }),
        (err: unknown) =>
          err instanceof PlacementError &&
          err.message ===
            `collector.shards is 2: AMOSKYS_SHARD must be this pod's shard, an integer from 0 to 1 (it is ${shard})`,
      );
    }
  });

  it("the operator's StatefulSet pods, one per ordinal, serve every device exactly once", async () => {
    // A reviewed case: three replicas, shards 2, 1, 1, 0 in its expected output.
    const { profile, devices } = await loadCase("deployment-snmp-modbus");
    const got = buildCollector({
      ...PARAMS,
      profile,
      devices: selectDevices(profile, [profile], devices),
    });
    const sts = got.objects.at(-1) as V1StatefulSet;
    assert.equal(sts.kind, "StatefulSet");
    const env = sts.spec?.template.spec?.containers[0]?.env?.find(
      (e) => e.name === "AMOSKYS_SHARD",
    );
    const label = /^metadata\.labels\['(.+)'\]$/.exec(
      env?.valueFrom?.fieldRef?.fieldPath ?? "",
    )?.[1];
    assert.equal(label, "apps.kubernetes.io/pod-index");
    const agentCfg = parseAgentConfig(got.agentConfig);
    assert.equal(agentCfg.collector.shards, sts.spec?.replicas);
    // As the kubelet resolves it: the label's value, the ordinal, as text; the agent reads a number.
    const served = [0, 1, 2].map((ordinal) =>
      servedDevices(agentCfg, { shard: Number(String(ordinal)) }).map((d) => d.name),
    );
    assert.deepEqual(served, [["ups-2"], ["historian", "plc-tank-farm"], ["access-switch-1"]]);
  });

  it("plans pollers per device and listeners a served device needs, unless the port is 0", () => {
    const specs = planCollectors(cfg, servedDevices(cfg, { shard: 1 }));
    assert.deepEqual(
      specs.map((s) => s.key),
      ["snmp/plant-1/sw-1", "snmpTraps-listener", "syslog-listener"],
    );
  });

  it("every pod of a sharded deployment hears every device's pushes; a daemonset pod its node's", () => {
    // Shard 0 polls plc-1 only, but its Service may hand it srv-1's syslog and sw-1's traps.
    const polled = servedDevices(cfg, { shard: 0 });
    const heard = heardDevices(cfg, polled);
    assert.deepEqual(
      heard.map((d) => d.name),
      ["plc-1", "sw-1", "srv-1"],
    );
    assert.deepEqual(
      planCollectors(cfg, polled, heard).map((s) => s.key),
      ["modbus/plant-1/plc-1", "snmpTraps-listener", "syslog-listener"],
    );
    const ds = parseAgentConfig(
      base
        .replace("mode: deployment, shards: 2", "mode: daemonset, shards: 1")
        .replace("shard: 1,\n      syslog", "shard: 0, placement: { nodeName: n2 },\n      syslog"),
    );
    const onN1 = servedDevices(ds, { nodeName: "n1" });
    assert.deepEqual(
      heardDevices(ds, onN1).map((d) => d.name),
      ["plc-1", "sw-1"],
    );
  });

  it("restarts only what changed", () => {
    const specs = planCollectors(cfg, cfg.devices);
    const running = new Map(specs.map((s) => [s.key, s.hash]));
    const moved = parseAgentConfig(
      base.replace("port: 502", "port: 5020").replace("syslog: 5514", "syslog: 6514"),
    );
    const { stop, start } = diffCollectors(running, planCollectors(moved, moved.devices));
    assert.deepEqual(stop.sort(), ["modbus/plant-1/plc-1", "syslog-listener"]);
    assert.deepEqual(start.map((s) => s.key).sort(), ["modbus/plant-1/plc-1", "syslog-listener"]);
    assert.deepEqual(diffCollectors(running, specs), { stop: [], start: [] });
  });

  it("errors name the field", () => {
    assert.throws(
      () => parseAgentConfig(base.replace("port: 502", "port: 0")),
      /^AgentConfigError: devices\[0\]\.modbus\.port: must be an integer from 1 to 65535$/,
    );
    assert.throws(
      () => parseAgentConfig(base.replace("version: v2c", "version: v4")),
      /devices\[1\]\.snmp\.version: must be one of v1, v2c, v3/,
    );
    assert.throws(
      () => parseAgentConfig(base.replace("id: plant-1/edge", "id: edge")),
      /producer\.id: must be <namespace>\/<profile>/,
    );
    assert.throws(() => parseAgentConfig("a: [b"), /\(document\): is not YAML/);
    assert.throws(
      () => parseAgentConfig(base.replace("maxEvents: 100", "maxEvents: many")),
      /batching\.maxEvents: must be an integer/,
    );
  });
});
