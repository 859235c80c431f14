// A consumer process that takes deliveries and never acks them: the test kills
// it with SIGKILL mid-batch. Reads settings as one JSON line on stdin; prints
// {"got":[msgIds]} once it holds deliveries.
import { createInterface } from "node:readline";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { natsConsumer } from "../bus/index.ts";

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const s = JSON.parse((await lines.next()).value ?? "");
const nc = await connect({ servers: s.url, user: s.user, pass: s.pass, tls: { ca: s.ca } });
const consumer = await natsConsumer(
  jetstream(nc),
  await jetstreamManager(nc),
  s.stream,
  s.durable,
  {
    ackWaitMs: s.ackWaitMs,
    batchSize: 100,
  },
);
await consumer.run(async (deliveries) => {
  console.log(JSON.stringify({ got: deliveries.map((d) => d.msgId) }));
  await new Promise(() => {}); // "writing" forever: never acks
}, new AbortController().signal);
