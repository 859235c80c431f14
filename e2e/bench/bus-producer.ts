// The producer side of the bus benchmark, in its own process as a collector is.
// Reads one JSON line of settings on stdin, prepares, prints {"ready":…}, waits
// for "go\n", publishes, prints {"done":…} and exits.
import { generateKeyPairSync } from "node:crypto";
import { createInterface } from "node:readline";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { msgId, natsPublisher, telemetrySubject } from "../../proto/bus/index.ts";
import { type TelemetryEvent, v1 } from "../../proto/codec.ts";
import { BatchSigner } from "../../proto/sign-batch.ts";
import { keyIdOf, rawPublicKey } from "../../proto/signing.ts";

export interface ProducerSettings {
  url: string;
  user: string;
  pass: string;
  ca: string;
  mode: "signed" | "raw";
  batch: number;
  total: number;
  window: number;
  producer: string;
}

export const SUBJECT = telemetrySubject("bench", "plc-1");

export function makeEvents(n: number): TelemetryEvent[] {
  const t = 1767225600;
  return Array.from({ length: n }, (_, i) => ({
    id: `plc-1/modbus/hr/${i % 100}/${t + Math.floor(i / 100)}`,
    device: { namespace: "bench", name: "plc-1", address: "127.0.0.1:502" },
    observed: { seconds: t + Math.floor(i / 100) },
    collected: { seconds: t + Math.floor(i / 100), nanos: 1000 },
    source: v1.SourceProtocol.SOURCE_PROTOCOL_MODBUS,
    metric: {
      name: `modbus.hr.${i % 100}`,
      value: 20 + (i % 17) / 4,
      unit: "Cel",
      kind: v1.MetricKind.METRIC_KIND_GAUGE,
    },
  }));
}

export function chunk<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const s = JSON.parse((await lines.next()).value ?? "") as ProducerSettings;
  const nc = await connect({ servers: s.url, user: s.user, pass: s.pass, tls: { ca: s.ca } });
  const js = jetstream(nc);
  const { privateKey } = generateKeyPairSync("ed25519");
  const pub = rawPublicKey(privateKey);
  const keyId = keyIdOf(pub);
  const signer = new BatchSigner({ producerId: s.producer, keyId, privateKey });
  const chunks = chunk(makeEvents(s.total), s.batch);
  // raw: the very bytes the signed path sends, made before the clock starts.
  const premade = s.mode === "raw" ? chunks.map((c) => signer.seal(c).bytes) : [];
  console.log(JSON.stringify({ ready: { keyId, publicKey: pub.toString("base64") } }));
  await lines.next(); // "go"
  const publisher = natsPublisher(js, { maxInFlight: s.window });
  const acks: Promise<unknown>[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const bytes =
      s.mode === "raw" ? (premade[i] as Uint8Array) : signer.seal(chunks[i] ?? []).bytes;
    acks.push(publisher.publish(SUBJECT, bytes, msgId(s.producer, i + 1)));
    // Keep the loop from queueing everything at once: wait while the window is full.
    while (publisher.metrics().inFlight >= s.window) await Promise.race(acks.slice(-s.window));
  }
  await Promise.all(acks);
  await publisher.close();
  console.log(JSON.stringify({ done: { published: publisher.metrics().published } }));
  await nc.close();
}

if (import.meta.main) await main();
