import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import type { CollectorProfile, Device, DeviceSpec } from "../../crds/index.ts";
import {
  type AgentConfig,
  deviceSecretRefs,
  referencedSecretKeys,
  renderAgentConfig,
  shardOf,
} from "./agent-config.ts";
import { InvalidSpecError } from "./errors.ts";

const profile: CollectorProfile = {
  apiVersion: "amoskys.io/v1alpha1",
  kind: "CollectorProfile",
  metadata: { name: "p", namespace: "ns", uid: "u" },
  spec: { deviceSelector: {} },
};
const opts = { natsUrl: "tls://nats:4222", signingKeyId: "0123456789abcdef" };

function device(name: string, spec: Partial<DeviceSpec>): Device {
  return {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "Device",
    metadata: { name, namespace: "ns" },
    spec: { address: "10.0.0.1", type: "network", ...spec },
  };
}

const snmp = (level?: "noAuthNoPriv" | "authNoPriv" | "authPriv") =>
  device("s", {
    snmp: {
      version: level ? "v3" : "v2c",
      credentialsSecretRef: { name: "cred", keys: { username: "user" } },
      ...(level && { v3: { securityLevel: level } }),
    },
  });

describe("agent config", () => {
  it("reads only the Secret keys a protocol needs", () => {
    const keys = (d: Device) => deviceSecretRefs(d).map((r) => r.key);
    assert.deepEqual(keys(snmp()), ["community"]);
    assert.deepEqual(keys(snmp("noAuthNoPriv")), ["user"]);
    assert.deepEqual(keys(snmp("authNoPriv")), ["user", "authKey"]);
    assert.deepEqual(keys(snmp("authPriv")), ["user", "authKey", "privKey"]);
    const anonymous = device("m", { mqtt: { brokerUrl: "mqtt://b", topics: ["t"] } });
    assert.deepEqual(deviceSecretRefs(anonymous), []);
    assert.deepEqual(
      referencedSecretKeys([snmp("authPriv"), snmp()]).map((r) => `${r.secret}/${r.key}`),
      ["cred/authKey", "cred/community", "cred/privKey", "cred/user"],
    );
  });

  it("renders FHIR basic auth as username and password files, bearer by default", () => {
    const fhir = (name: string, authSecretRef: NonNullable<DeviceSpec["fhir"]>["authSecretRef"]) =>
      device(name, { type: "medical", fhir: { baseUrl: "https://f/r4", authSecretRef } });
    const basic = fhir("mon-basic", {
      name: "fhir-basic",
      scheme: "basic",
      keys: { password: "pw" },
    });
    const bearer = fhir("mon-bearer", { name: "fhir-token" });
    // The Secret keys collector.ts mounts: only those of the chosen scheme.
    assert.deepEqual(
      referencedSecretKeys([basic, bearer]).map((r) => `${r.secret}/${r.key}`),
      [
        "fhir-basic/ca.crt",
        "fhir-basic/pw",
        "fhir-basic/username",
        "fhir-token/ca.crt",
        "fhir-token/token",
      ],
    );
    const cfg = parse(renderAgentConfig(profile, [basic, bearer], opts)) as AgentConfig;
    const auth = (name: string) => cfg.devices.find((d) => d.name === name)?.fhir?.auth;
    assert.deepEqual(auth("mon-basic"), {
      usernameFile: "/etc/amoskys/secrets/fhir-basic/username",
      passwordFile: "/etc/amoskys/secrets/fhir-basic/pw",
      caFile: "/etc/amoskys/secrets/fhir-basic/ca.crt",
    });
    assert.deepEqual(auth("mon-bearer"), {
      tokenFile: "/etc/amoskys/secrets/fhir-token/token",
      caFile: "/etc/amoskys/secrets/fhir-token/ca.crt",
    });
  });

  it("renders parseable YAML with subjects from proto/bus conventions", () => {
    const text = renderAgentConfig(profile, [device("sw.rack-1", { flows: {} })], opts);
    const cfg = parse(text) as AgentConfig;
    assert.equal(cfg.kind, "AgentConfig");
    assert.equal(cfg.producer.id, "ns/p");
    assert.equal(cfg.producer.keyId, "0123456789abcdef");
    assert.equal(cfg.bus.url, "tls://nats:4222");
    assert.equal(cfg.devices[0]?.subject, "amoskys.telemetry.ns.sw~rack-1");
    assert.deepEqual(cfg.devices[0]?.flows, { exporterAddress: "10.0.0.1" });
    assert.equal(cfg.outbox.maxBytes, 268435456);
    assert.doesNotMatch(text, /criticality|allowedWriters/);
  });

  it("shards by a stable hash of the name", () => {
    assert.equal(shardOf("anything", 1), 0);
    const shards = new Set(Array.from({ length: 50 }, (_, i) => shardOf(`d-${i}`, 3)));
    assert.deepEqual([...shards].sort(), [0, 1, 2]);
    assert.equal(shardOf("plc-1", 4), shardOf("plc-1", 4));
  });

  it("throws InvalidSpecError for a profile it cannot render", () => {
    const bad = structuredClone(profile);
    bad.spec.listeners = { syslog: 1162 };
    assert.throws(
      () => renderAgentConfig(bad, [], opts),
      (e: unknown) =>
        e instanceof InvalidSpecError && e.errors[0]?.path === "spec.listeners.snmpTraps",
    );
  });
});
