// Signed telemetry through JetStream vs raw JetStream, on a real nats-server
// (TLS, passwords) from the test environment, measured in the same run.
//
// A producer process (as a collector is) and this consumer process (as
// analytics is), connected through nats-server:
//   signed: encode + Ed25519 sign -> publish | fetch -> verify -> decode -> ack
//   raw:    the same message bytes, made before the clock -> publish | fetch -> ack
// Both use the bus publisher and consumer with the same window, fetch size and
// confirmed acks; the clock runs from "go" until the consumer has acked all.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import {
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { ensureStreams, natsConsumer, TELEMETRY_STREAM } from "../../proto/bus/index.ts";
import { decodeEvents } from "../../proto/codec.ts";
import { TrustStore } from "../../proto/trust.ts";
import { BatchVerifier } from "../../proto/verify-batch.ts";
import { type NatsEnv, startEnv } from "../env/index.ts";
import type { ProducerSettings } from "./bus-producer.ts";

const WINDOW = 256;
const FETCH = 64;
const PRODUCER = "bench/collector";

export async function run(
  nats: NatsEnv,
  js: JetStreamClient,
  jsm: JetStreamManager,
  mode: "signed" | "raw",
  batch: number,
  total: number,
) {
  await jsm.streams.delete(TELEMETRY_STREAM).catch(() => undefined);
  await ensureStreams(jsm);
  const child = spawn(process.execPath, [new URL("./bus-producer.ts", import.meta.url).pathname], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((r) => child.once("exit", r));
  const out = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const settings: ProducerSettings = {
    url: nats.url,
    user: "admin",
    pass: nats.users.admin ?? "",
    ca: readFileSync(nats.ca, "utf8"),
    mode,
    batch,
    total,
    window: WINDOW,
    producer: PRODUCER,
  };
  child.stdin.write(`${JSON.stringify(settings)}\n`);
  const { ready } = JSON.parse((await out.next()).value ?? "");
  const verifier = new BatchVerifier(
    TrustStore.fromDocument({ producers: { [PRODUCER]: [ready] } }),
  );
  const consumer = await natsConsumer(js, jsm, TELEMETRY_STREAM, `bench-${mode}`, {
    batchSize: FETCH,
    maxAckPending: WINDOW * 4,
  });
  const ac = new AbortController();
  let events = 0;
  const messages = Math.ceil(total / batch);
  let acked = 0;
  const start = performance.now();
  child.stdin.end("go\n"); // EOF after "go": the producer exits when done
  await consumer.run(async (deliveries) => {
    if (mode === "signed") {
      for (const d of deliveries) {
        const v = verifier.check(d.data);
        if (!v.ok) throw new Error(`verification failed: ${v.reason}`);
        const decoded = decodeEvents(v.batch, 16 << 20);
        if (!decoded.ok) throw new Error(decoded.reason);
        events += decoded.value.length;
        verifier.commit(v);
      }
    }
    // One durable write per fetched batch, then every ack of it, confirmed.
    await Promise.all(deliveries.map((d) => d.ack()));
    acked += deliveries.length;
    if (acked >= messages) ac.abort();
  }, ac.signal);
  const ms = performance.now() - start;
  await exited;
  if (mode === "signed" && events !== total)
    throw new Error(`consumed ${events} of ${total} events`);
  return ms;
}

export async function main(): Promise<void> {
  const env = await startEnv({ nats: true, verbose: false });
  const nc = await connect({
    servers: env.nats.url,
    user: "admin",
    pass: env.nats.users.admin,
    tls: { ca: readFileSync(env.nats.ca, "utf8") },
  });
  try {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    console.log(
      `bus: signed telemetry vs raw JetStream, same bytes (nats-server ${env.nats.version}, TLS, file storage)`,
    );
    console.log("batch   events  signed ev/s    raw ev/s  signed/raw");
    for (const [batch, total] of [
      [1, 20_000],
      [64, 128_000],
      [512, 512_000],
    ] as const) {
      // Warm-up, then the best of three of each, alternating: the machine is shared.
      await run(env.nats, js, jsm, "signed", batch, batch * 20);
      await run(env.nats, js, jsm, "raw", batch, batch * 20);
      let signed = Number.POSITIVE_INFINITY;
      let raw = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        signed = Math.min(signed, await run(env.nats, js, jsm, "signed", batch, total));
        raw = Math.min(raw, await run(env.nats, js, jsm, "raw", batch, total));
      }
      const s = (total / signed) * 1000;
      const r = (total / raw) * 1000;
      console.log(
        `${String(batch).padStart(5)}  ${String(total).padStart(7)}  ${s.toFixed(0).padStart(11)}  ${r.toFixed(0).padStart(10)}  ${(s / r).toFixed(2).padStart(10)}`,
      );
    }
  } finally {
    await nc.close();
    await env.stop();
  }
}
