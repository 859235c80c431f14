// The load side of the analytics benchmark, in its own process (as agents are
// on other nodes) so that its CPU is measured apart from analytics. It signs
// batches exactly as the agent does (BatchSigner, Ed25519, zstd, producer
// `<ns>/<profile>/<pod>`, one batch per device subject, msgId producer:seq)
// and publishes them with the bus' natsPublisher.
//
// JSON lines: the first line on stdin is Settings; then commands, each
// answered by one line on stdout:
//   {cmd:"prepare", tag, total, producer}  seal the batches of a workload (off the clock)
//   {cmd:"publish", tag, msgIdPrefix?}      publish them as fast as the window allows
//   {cmd:"paced", tag, rate, probeRate, probeProducer}
//        publish them at `rate` events/s, and meanwhile create a probe event
//        `probeRate` times a second, sealed and published at once in a batch
//        of its own (observed time = creation time); answers with the creation
//        times. subjectPrefix sends it all to another stream (the raw bus' latency).
//   {cmd:"exit"}
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { msgId, natsPublisher, telemetrySubject } from "../../../proto/bus/index.ts";
import { BatchSigner } from "../../../proto/sign-batch.ts";
import { Compression, keyIdOf, privateKeyFromSeed, rawPublicKey } from "../../../proto/signing.ts";
import {
  deviceName,
  loadBatches,
  loadEvents,
  NAMESPACE,
  PROBE_DEVICE,
  probeEvent,
} from "./workload.ts";

export interface Settings {
  url: string;
  user: string;
  pass: string;
  ca: string;
  /** Ed25519 seed (hex) of the profile's signing key. */
  seed: string;
  /** Publishes in flight (the agent ships one at a time; a backlog producer needs more). */
  window: number;
}

export type Command =
  | { cmd: "prepare"; tag: string; total: number; producer: string /** events/s */; rate?: number }
  | { cmd: "publish"; tag: string; msgIdPrefix?: string }
  | {
      cmd: "paced";
      tag: string;
      rate: number;
      probeRate: number;
      probeProducer: string;
      /** Publish to <subjectPrefix>.<ns>.<device> instead of the telemetry subjects. */
      subjectPrefix?: string;
    }
  | { cmd: "exit" };

interface Prepared {
  producer: string;
  events: number;
  batches: { subject: string; bytes: Uint8Array; seq: number; events: number; from: number }[];
}

async function main(): Promise<void> {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const s = JSON.parse((await lines.next()).value ?? "") as Settings;
  const reply = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const privateKey = privateKeyFromSeed(Buffer.from(s.seed, "hex"));
  const keyId = keyIdOf(rawPublicKey(privateKey));
  const signer = (producerId: string) =>
    new BatchSigner({ producerId, keyId, privateKey, compression: Compression.COMPRESSION_ZSTD });
  const open = async () => {
    const nc = await connect({ servers: s.url, user: s.user, pass: s.pass, tls: { ca: s.ca } });
    return { nc, publisher: natsPublisher(jetstream(nc), { maxInFlight: s.window }) };
  };
  const load = await open();
  const probes = await open(); // another agent: its batches do not queue behind the load's window
  const prepared = new Map<string, Prepared>();
  reply({ ready: true });

  for (;;) {
    const line = (await lines.next()).value;
    if (line === undefined) break;
    const c = JSON.parse(line) as Command;
    if (c.cmd === "exit") break;
    const t0 = performance.now();
    if (c.cmd === "prepare") {
      const sig = signer(c.producer);
      const at = Date.now();
      const p: Prepared = { producer: c.producer, events: c.total, batches: [] };
      let bytes = 0;
      for (const b of loadBatches(c.total, c.rate)) {
        const sealed = sig.seal(loadEvents(c.tag, b.from, b.n, b.dev, at + b.offsetMs));
        bytes += sealed.bytes.length;
        p.batches.push({
          subject: telemetrySubject(NAMESPACE, deviceName(b.dev)),
          bytes: sealed.bytes,
          seq: sealed.sequence,
          events: b.n,
          from: b.from,
        });
      }
      prepared.set(c.tag, p);
      reply({ batches: p.batches.length, bytes, ms: performance.now() - t0 });
    } else if (c.cmd === "publish") {
      const p = prepared.get(c.tag);
      if (!p) throw new Error(`not prepared: ${c.tag}`);
      const id = c.msgIdPrefix ?? p.producer;
      await Promise.all(
        p.batches.map((b) => load.publisher.publish(b.subject, b.bytes, msgId(id, b.seq))),
      );
      reply({ ms: performance.now() - t0 });
    } else if (c.cmd === "paced") {
      const p = prepared.get(c.tag);
      if (!p) throw new Error(`not prepared: ${c.tag}`);
      const probeSigner = signer(c.probeProducer);
      const subject = (sub: string) =>
        c.subjectPrefix ? sub.replace(/^amoskys\.telemetry\./, `${c.subjectPrefix}.`) : sub;
      const probeSubject = subject(telemetrySubject(NAMESPACE, PROBE_DEVICE));
      const durationMs = (p.events / c.rate) * 1000;
      const probeCount = Math.floor((durationMs / 1000) * c.probeRate);
      const loadAt = (k: number) => ((p.batches[k]?.from ?? 0) / c.rate) * 1000;
      const probeAt = (j: number) => ((j + 0.5) / c.probeRate) * 1000;
      const created: number[] = [];
      const pending: Promise<unknown>[] = [];
      let maxLagMs = 0;
      const start = performance.now();
      let k = 0;
      let j = 0;
      while (k < p.batches.length || j < probeCount) {
        const now = performance.now() - start;
        while (k < p.batches.length && loadAt(k) <= now) {
          const b = p.batches[k++];
          if (!b) break;
          maxLagMs = Math.max(maxLagMs, now - loadAt(k - 1));
          pending.push(
            load.publisher.publish(subject(b.subject), b.bytes, msgId(p.producer, b.seq)),
          );
        }
        while (j < probeCount && probeAt(j) <= now) {
          const createdMs = Date.now();
          const sealed = probeSigner.seal([probeEvent(j, createdMs)]);
          created.push(createdMs);
          pending.push(
            probes.publisher.publish(
              probeSubject,
              sealed.bytes,
              msgId(c.probeProducer, sealed.sequence),
            ),
          );
          j++;
        }
        const next = Math.min(
          k < p.batches.length ? loadAt(k) : Number.POSITIVE_INFINITY,
          j < probeCount ? probeAt(j) : Number.POSITIVE_INFINITY,
        );
        if (Number.isFinite(next)) await sleep(Math.max(0, next - (performance.now() - start)));
      }
      await Promise.all(pending);
      reply({ ms: performance.now() - t0, created, maxLagMs });
    }
  }
  for (const x of [load, probes]) {
    await x.publisher.close();
    await x.nc.close();
  }
}

if (import.meta.main) {
  await main();
  process.exit(0); // stdin's reader would keep the process alive
}
