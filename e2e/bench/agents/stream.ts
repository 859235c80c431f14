// Reads back what an agent published: every message of the telemetry stream
// (a work queue: acked messages leave it), each verified with the pod's key,
// with the time JetStream stored it. That time is where "ours" ends: an event
// counts once it is signed, in JetStream, and verifies.
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { natsConnect } from "../../../agents/testing-agent.ts";
import { ensureStreams } from "../../../proto/bus/provision.ts";
import { decodeEvents, type TelemetryEvent } from "../../../proto/codec.ts";
import { TrustStore } from "../../../proto/trust.ts";
import { BatchVerifier } from "../../../proto/verify-batch.ts";
import type { NatsEnv } from "../../env/index.ts";

export interface StoredBatch {
  /** When JetStream stored it (server clock, ms since the epoch). */
  storedMs: number;
  subject: string;
  sequence: number;
  events: TelemetryEvent[];
}

export interface Drained {
  batches: StoredBatch[];
  /** Rejected batches by reason, plus "sequence_gap" for holes in the chain. */
  rejected: Record<string, number>;
}

export const STREAM = "AMOSKYS_TELEMETRY";

/** Creates the streams, as analytics would before any agent publishes. */
export async function provision(nats: NatsEnv): Promise<void> {
  const nc = await natsConnect(nats, "admin");
  try {
    await ensureStreams(await jetstreamManager(nc));
  } finally {
    await nc.close();
  }
}

/** Messages and bytes in the telemetry stream now. */
export async function streamState(nats: NatsEnv): Promise<{ messages: number; bytes: number }> {
  const nc = await natsConnect(nats, "admin");
  try {
    const s = (await (await jetstreamManager(nc)).streams.info(STREAM)).state;
    return { messages: s.messages, bytes: s.bytes };
  } finally {
    await nc.close();
  }
}

/** Takes and verifies every message in the stream; `verifier` keeps the chain across calls. */
export async function drainTimed(
  nats: NatsEnv,
  pod: { keyId: string; publicKey: Buffer },
  verifier?: BatchVerifier,
  producer = "plant-1/edge",
): Promise<Drained> {
  const nc = await natsConnect(nats, "admin");
  try {
    const jsm = await jetstreamManager(nc);
    const v10r =
      verifier ??
      new BatchVerifier(
        TrustStore.fromDocument({
          producers: {
            [producer]: [{ keyId: pod.keyId, publicKey: pod.publicKey.toString("base64") }],
          },
        }),
        { replayWindow: 1_000_000 },
      );
    const out: Drained = { batches: [], rejected: {} };
    const info = await jsm.streams.info(STREAM);
    if (info.state.messages === 0) return out;
    const c = await jsm.consumers.add(STREAM, {
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: 10_000,
    });
    const consumer = await jetstream(nc).consumers.get(STREAM, c.name);
    let left = info.state.messages;
    while (left > 0) {
      const it = await consumer.fetch({ max_messages: Math.min(left, 1000), expires: 5_000 });
      let got = 0;
      const acks: Promise<boolean>[] = [];
      for await (const m of it) {
        got++;
        const v = v10r.check(m.data);
        acks.push(m.ackAck());
        if (!v.ok) {
          out.rejected[v.reason] = (out.rejected[v.reason] ?? 0) + 1;
          continue;
        }
        // A gap is a finding only inside a chain this verifier has followed.
        if (v.gap && verifier) out.rejected.sequence_gap = (out.rejected.sequence_gap ?? 0) + 1;
        v10r.commit(v);
        const d = decodeEvents(v.batch, 64 << 20);
        if (!d.ok) {
          out.rejected[`decode: ${d.reason}`] = (out.rejected[`decode: ${d.reason}`] ?? 0) + 1;
          continue;
        }
        out.batches.push({
          // nanoseconds since the epoch (a number: sub-microsecond precision is lost, not needed)
          storedMs: Number(m.info.timestampNanos) / 1e6,
          subject: m.subject,
          sequence: v.sequence,
          events: d.value,
        });
      }
      await Promise.all(acks);
      if (got === 0) break;
      left -= got;
    }
    await jsm.consumers.delete(STREAM, c.name);
    return out;
  } finally {
    await nc.close();
  }
}
