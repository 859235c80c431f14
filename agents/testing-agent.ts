// Test helpers for the agent runtime: a pod's files (agent.yaml as the
// operator renders it, the signing key, device Secrets) laid out below a
// root directory, as the kubelet would mount them, and a consumer that reads
// and verifies what the agent published.
import { generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import type { CollectorProfile, Device } from "../crds/index.ts";
import type { NatsEnv } from "../e2e/env/index.ts";
import { renderAgentConfig } from "../operator/manifests/agent-config.ts";
import { BUS_KEYS } from "../operator/manifests/bus.ts";
import {
  busSecretName,
  CONFIG_FILE,
  SIGNING_KEY_FILE,
  secretFile,
} from "../operator/manifests/names.ts";
import { ensureStreams } from "../proto/bus/provision.ts";
import { decodeEvents, type TelemetryEvent, v1 } from "../proto/codec.ts";
import { keyIdOf, rawPublicKey, seedOf } from "../proto/signing.ts";
import { TrustStore } from "../proto/trust.ts";
import { BatchVerifier } from "../proto/verify-batch.ts";

export interface PodFiles {
  root: string;
  configPath: string;
  keyId: string;
  publicKey: Buffer;
  /** Re-renders agent.yaml (a ConfigMap update). */
  write(devices: Device[], profile?: Partial<CollectorProfile["spec"]>): Promise<void>;
  /** Writes a Secret key file where the pod would see it. */
  secret(name: string, key: string, value: string): Promise<void>;
  cleanup(): Promise<void>;
}

export function profile(spec: Partial<CollectorProfile["spec"]> = {}): CollectorProfile {
  return {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "CollectorProfile",
    metadata: { name: "edge", namespace: "plant-1", uid: "00000000-0000-4000-8000-000000000001" },
    spec: { deviceSelector: {}, mode: "deployment", replicas: 1, ...spec },
  } as CollectorProfile;
}

export function device(name: string, spec: Partial<Device["spec"]>): Device {
  return {
    apiVersion: "amoskys.io/v1alpha1",
    kind: "Device",
    metadata: {
      name,
      namespace: "plant-1",
      uid: `00000000-0000-4000-8000-${name.padStart(12, "0").slice(-12)}`,
    },
    spec: { address: "127.0.0.1", type: "iot", ...spec },
  } as Device;
}

/**
 * A pod's files below a temp root. The bus block points at `nats` with the
 * user `user` and the environment's CA, as the operator's bus Secret would.
 */
export async function podFiles(nats: NatsEnv, user: string): Promise<PodFiles> {
  const root = await mkdtemp(join(tmpdir(), "amoskys-agent-"));
  const { privateKey } = generateKeyPairSync("ed25519");
  const publicKey = rawPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  const at = (p: string) => join(root, p);
  const put = async (p: string, data: string | Buffer) => {
    await mkdir(dirname(at(p)), { recursive: true });
    await writeFile(at(p), data, { mode: 0o600 });
  };
  await put(SIGNING_KEY_FILE, seedOf(privateKey));
  // The profile's copy of the operator's --nats-secret, as the pod mounts it.
  const bus = busSecretName(profile().metadata.name as string);
  await put(secretFile(bus, BUS_KEYS.ca), await readFile(nats.ca));
  await put(secretFile(bus, BUS_KEYS.username), user);
  await put(secretFile(bus, BUS_KEYS.password), nats.users[user] ?? "");
  const busKeys = [BUS_KEYS.ca, BUS_KEYS.username, BUS_KEYS.password];
  return {
    root,
    configPath: at(CONFIG_FILE),
    keyId,
    publicKey,
    async write(devices, spec = {}) {
      const text = renderAgentConfig(profile(spec), devices, {
        natsUrl: nats.url,
        signingKeyId: keyId,
        busKeys,
      });
      // Written aside and renamed, as the kubelet swaps a ConfigMap atomically.
      await put(`${CONFIG_FILE}.new`, text);
      await rename(at(`${CONFIG_FILE}.new`), at(CONFIG_FILE));
    },
    secret: (name, key, value) => put(secretFile(name, key), value),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export interface Received {
  /** Verified batches in stream order: producer, sequence, events. */
  batches: { producerId: string; sequence: number; subject: string; events: TelemetryEvent[] }[];
  /** Rejections by reason. */
  rejected: Record<string, number>;
  events(): TelemetryEvent[];
}

/**
 * Takes every message from the telemetry stream (a work queue: acked
 * messages leave it) and verifies each batch with the pod's key. One
 * verifier per call: pass `verifier` to keep replay state across calls.
 */
export async function drainStream(
  nats: NatsEnv,
  pod: { keyId: string; publicKey: Buffer },
  producer = "plant-1/edge",
  verifier?: BatchVerifier,
): Promise<Received> {
  const nc = await natsConnect(nats, "admin");
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStreams(jsm);
    const trust = TrustStore.fromDocument({
      producers: {
        [producer]: [{ keyId: pod.keyId, publicKey: pod.publicKey.toString("base64") }],
      },
    });
    const v10r = verifier ?? new BatchVerifier(trust, { replayWindow: 100_000 });
    const info = await jsm.streams.info("AMOSKYS_TELEMETRY");
    const out: Received = {
      batches: [],
      rejected: {},
      events: () => out.batches.flatMap((b) => b.events),
    };
    if (info.state.messages === 0) return out;
    const c = await jsm.consumers.add("AMOSKYS_TELEMETRY", {
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
    const consumer = await jetstream(nc).consumers.get("AMOSKYS_TELEMETRY", c.name);
    let left = info.state.messages;
    while (left > 0) {
      const it = await consumer.fetch({ max_messages: Math.min(left, 500), expires: 5_000 });
      let got = 0;
      for await (const m of it) {
        got++;
        const v = v10r.check(m.data);
        await m.ackAck();
        if (!v.ok) {
          out.rejected[v.reason] = (out.rejected[v.reason] ?? 0) + 1;
          continue;
        }
        v10r.commit(v);
        const b = v1.SignedBatch.decode(m.data);
        const d = decodeEvents(b, 16 << 20);
        if (!d.ok) throw new Error(d.reason);
        out.batches.push({
          producerId: b.producerId,
          sequence: b.sequence,
          subject: m.subject,
          events: d.value,
        });
      }
      if (got === 0) break;
      left -= got;
    }
    await jsm.consumers.delete("AMOSKYS_TELEMETRY", c.name);
    return out;
  } finally {
    await nc.close();
  }
}

export async function natsConnect(nats: NatsEnv, user: string): Promise<NatsConnection> {
  return connect({
    servers: nats.url,
    user,
    pass: nats.users[user],
    tls: { ca: await readFile(nats.ca, "utf8") },
  });
}
