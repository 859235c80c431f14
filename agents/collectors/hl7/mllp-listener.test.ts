// The MLLP listener over real TCP sockets, fed the real HL7 files
// (microsoft/FHIR-Converter data/SampleData/Hl7v2/*.hl7 @70fd328e0501, MIT;
// answer keys TestData/Expected/Hl7v2/*-expected.json; see
// ../shared/testdata/SOURCES.md). MLLP has no standard CLI peer here, so the
// sender is a few lines of node:net below.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { sharedDir } from "../../../e2e/env/toolchain.ts";
import type { AgentDevice, Sink, TelemetryEvent } from "../../collector.ts";
import { Capability, Source } from "../../events.ts";
import { type memorySink, staticDirectory, testContext } from "../../testing.ts";
import { MllpDecoder, mllpFrame } from "./mllp.ts";
import { createMllpListener, type MllpListener } from "./mllp-listener.ts";

const DIR = join(sharedDir, "testdata/health/hl7v2/fhir-converter");
const raw = (f: string) => readFileSync(join(DIR, f));
const text = (f: string) => raw(f).toString("utf8");

function device(name: string, hl7: AgentDevice["hl7"]): AgentDevice {
  return {
    namespace: "icu",
    name,
    address: "127.0.0.1",
    type: "medical",
    subject: `amoskys.telemetry.icu.${name}`,
    hl7,
  };
}

/** Sends each payload framed, waits for its ACK; returns the ACK texts. */
async function send(
  port: number,
  payloads: (string | Buffer)[],
  opts: { localAddress?: string; together?: boolean } = {},
): Promise<string[]> {
  const sock = connect({
    port,
    host: "127.0.0.1",
    ...(opts.localAddress && { localAddress: opts.localAddress }),
  });
  await new Promise<void>((res, rej) => sock.once("connect", res).once("error", rej));
  const dec = new MllpDecoder(1 << 20);
  const acks: string[] = [];
  const waiters: (() => void)[] = [];
  sock.on("data", (c: Buffer) => {
    for (const item of dec.push(c)) {
      if (item.kind === "message") acks.push(item.payload.toString("utf8"));
    }
    for (const w of waiters.splice(0)) w();
  });
  const until = (n: number) =>
    new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`ACK ${n} not received`)), 20_000);
      const check = () => {
        if (acks.length >= n) {
          clearTimeout(t);
          res();
        } else waiters.push(check);
      };
      check();
    });
  const frames = payloads.map((p) => mllpFrame(typeof p === "string" ? Buffer.from(p) : p));
  if (opts.together) {
    sock.write(Buffer.concat(frames));
    await until(frames.length);
  } else {
    for (const [i, f] of frames.entries()) {
      sock.write(f);
      await until(i + 1);
    }
  }
  sock.end();
  return acks;
}

function msa(ack: string): string[] {
  const line = ack.split("\r").find((l) => l.startsWith("MSA|")) ?? "";
  return line.split("|");
}

const ctx = testContext();
const sink = ctx.sink as ReturnType<typeof memorySink>;
const monitor = device("monitor-1", { sourceAddresses: ["127.0.0.1"] });
const directory = staticDirectory([monitor]);
let listener: MllpListener;

before(async () => {
  listener = createMllpListener(
    { port: 0, host: "127.0.0.1", maxMessageBytes: 8192 },
    directory,
    ctx,
  );
  await listener.start();
});
after(() => listener.stop());

const clinicals = (from: number) => sink.events.slice(from).filter((e) => e.clinical);

test("real ORU messages over LF, CR, CRLF and with a BOM: AA and the converter's observations", async () => {
  const lab = text("LAB-ORU-1.hl7"); // LF separators, BOM
  assert.equal(lab.charCodeAt(0), 0xfeff);
  const noBom = lab.slice(1);
  const variants = [lab, noBom.replaceAll("\n", "\r"), noBom.replaceAll("\n", "\r\n")];
  const start = sink.events.length;
  const acks = await send(listener.port, variants);
  for (const a of acks) assert.deepEqual(msa(a).slice(0, 3), ["MSA", "AA", "182"]);
  const got = clinicals(start);
  assert.equal(got.length, 30, "10 OBX x 3 sends");
  // The same message with other line endings is recognisably the same: same ids.
  const ids = got.map((e) => e.id);
  assert.equal(new Set(ids).size, 10);
  // Values from the answer key LAB-ORU-1-expected.json (valueQuantity of each Observation).
  const bundle = JSON.parse(text("LAB-ORU-1-expected.json").replace(/^\uFEFF/, ""));
  const expected = bundle.entry
    .map((e: { resource: { resourceType: string } }) => e.resource)
    .filter((r: { resourceType: string }) => r.resourceType === "Observation");
  for (const [i, want] of expected.entries()) {
    const c = got[i]?.clinical;
    assert.equal(c?.code, want.code.coding[0].code);
    assert.equal(c?.codeSystem, want.code.coding[0].system);
    assert.equal(c?.isNumeric, want.valueQuantity !== undefined);
    if (want.valueQuantity) assert.equal(c?.numericValue, want.valueQuantity.value);
    assert.equal(c?.sourceId, "182");
  }
  const first = got[0];
  assert.equal(first?.source, Source.SOURCE_PROTOCOL_HL7);
  assert.deepEqual(first?.device, { namespace: "icu", name: "monitor-1", address: "127.0.0.1" });
  // One Status when the first message from the device arrived.
  const statuses = sink.events.filter((e) => e.status);
  assert.equal(statuses.length, 1);
  assert.equal(statuses[0]?.status?.capability, Capability.CAPABILITY_REAL);
  assert.equal(statuses[0]?.status?.reachable, true);
});

test("every real file in one TCP write (pipelined): one ACK each, in order", async () => {
  const files = ["ORU-R01-RMGEAD.hl7", "ADT01-23.hl7", "ORU-R01-01.hl7"];
  const start = sink.events.length;
  const acks = await send(listener.port, files.map(raw), { together: true });
  assert.deepEqual(
    acks.map((a) => msa(a).slice(1, 3)),
    [
      ["AA", "CNTRL-3456"],
      ["AA", "599102"],
      ["AA", "2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325"],
    ],
  );
  const got = sink.events.slice(start);
  // RMGEAD: glucose 182 mg/dl H, range 70_105 (ORU-R01-RMGEAD-expected.json).
  const glucose = got.find((e) => e.clinical?.code === "1554-5")?.clinical;
  assert.equal(glucose?.numericValue, 182);
  assert.equal(glucose?.unit, "mg/dl");
  assert.equal(glucose?.abnormalFlag, "H");
  assert.equal(glucose?.referenceRange, "70_105");
  assert.equal(glucose?.resultStatus, "F");
  // ORU-R01-01: 4 OBX with an identifier, 1 without (a counted Malformed, message still AA).
  const oru01 = got.filter(
    (e) => e.clinical?.sourceId === "2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325",
  );
  assert.equal(oru01.length, 4);
  const missing = got.filter((e) => e.malformed?.reason === "obx_missing_code");
  assert.equal(missing.length, 1);
  assert.match(Buffer.from(missing[0]?.malformed?.sample ?? []).toString(), /^OBX\|\|ED\|/);
});

test("ACK has sender and receiver swapped", async () => {
  const [ack] = await send(listener.port, [raw("ORU-R01-RMGEAD.hl7")]);
  const msh = (ack ?? "").split("\r")[0]?.split("|") ?? [];
  // Inbound MSH|^~\&|GHH LAB|ELAB-3|GHH OE|BLDG4|...
  assert.deepEqual(msh.slice(0, 6), ["MSH", "^~\\&", "GHH OE", "BLDG4", "GHH LAB", "ELAB-3"]);
  assert.equal(msh[8], "ACK^R01^ACK");
});

test("a malformed message gets AE with the reason, a Malformed event and a count", async () => {
  const start = sink.events.length;
  // A real message whose MSH-2 is damaged.
  const bad = text("ORU-R01-RMGEAD.hl7").replace("MSH|^~\\&|", "MSH|^^\\&|");
  const [ack] = await send(listener.port, [bad]);
  assert.equal(msa(ack ?? "")[1], "AE");
  assert.match(ack ?? "", /MSH-2 must hold four distinct separator characters/);
  assert.match(ack ?? "", /\rERR\|\|\|102\^/);
  const mal = sink.events.slice(start).filter((e) => e.malformed);
  assert.equal(mal.length, 1);
  assert.equal(mal[0]?.malformed?.reason, "bad_encoding_characters");
  assert.equal(mal[0]?.malformed?.protocol, Source.SOURCE_PROTOCOL_HL7);
  // The sample is the first segment only (no patient data from PID).
  assert.doesNotMatch(Buffer.from(mal[0]?.malformed?.sample ?? []).toString(), /EVERYWOMAN/);
  const metric = await ctx.registry.getSingleMetricAsString("amoskys_agent_malformed_total");
  assert.match(metric, /protocol="hl7",reason="bad_encoding_characters"} 1/);
});

test("an unknown source gets AR and is counted", async () => {
  const start = sink.events.length;
  const [ack] = await send(listener.port, [raw("ORU-R01-RMGEAD.hl7")], {
    localAddress: "127.0.0.2",
  });
  assert.deepEqual(msa(ack ?? "").slice(1, 4), ["AR", "CNTRL-3456", "unknown source 127.0.0.2"]);
  assert.equal(sink.events.length, start);
  const metric = await ctx.registry.getSingleMetricAsString("amoskys_agent_unknown_source_total");
  assert.match(metric, /protocol="hl7"} 1/);
});

test("an oversize message gets AR; the connection keeps working", async () => {
  // ADT-A01-01.hl7 is 8,557 bytes; this listener takes 8,192.
  const acks = await send(listener.port, [raw("ADT-A01-01.hl7"), raw("ORU-R01-RMGEAD.hl7")]);
  assert.deepEqual(msa(acks[0] ?? "").slice(1, 3), ["AR", "MSG00001"]);
  assert.match(acks[0] ?? "", /exceeds the limit of 8192 bytes/);
  assert.equal(msa(acks[1] ?? "")[1], "AA");
});

test("sending facility/application are checked against MSH-4/MSH-3", async () => {
  const c = testContext();
  const s = c.sink as ReturnType<typeof memorySink>;
  const dir = staticDirectory([
    device("lab", {
      sendingFacility: "ELAB-3",
      sendingApplication: "GHH LAB",
      sourceAddresses: ["127.0.0.1"],
    }),
    device("adt", { sendingFacility: "GHHSFacility", sourceAddresses: ["127.0.0.1"] }),
  ]);
  const l = createMllpListener({ port: 0, host: "127.0.0.1" }, dir, c);
  await l.start();
  try {
    const acks = await send(l.port, [
      raw("ORU-R01-RMGEAD.hl7"), // GHH LAB / ELAB-3
      raw("ADT-A01-01.hl7"), // ADTApp / GHHSFacility^2.16.840.1.122848.1.30^ISO
      raw("LAB-ORU-1.hl7"), // SomeSystem / (empty): no device
    ]);
    assert.deepEqual(
      acks.map((a) => msa(a)[1]),
      ["AA", "AA", "AR"],
    );
    assert.equal(s.events.find((e) => e.clinical?.code === "1554-5")?.device?.name, "lab");
    assert.equal(s.events.find((e) => e.clinical?.code === "8867-4")?.device?.name, "adt");
  } finally {
    await l.stop();
  }
});

test("a sink that rejects yields AR; AA is sent only after emit resolves", async () => {
  let release: (() => void) | undefined;
  let emitted = 0;
  let fail = true;
  const gated: Sink = {
    emit(events: TelemetryEvent[]) {
      emitted += events.length;
      if (fail) return Promise.reject(new Error("outbox full"));
      return new Promise<void>((res) => {
        release = res;
      });
    },
  };
  const c = testContext(gated);
  const l = createMllpListener({ port: 0, host: "127.0.0.1" }, directory, c);
  await l.start();
  try {
    const [ar] = await send(l.port, [raw("ORU-R01-RMGEAD.hl7")]);
    assert.equal(msa(ar ?? "")[1], "AR");
    assert.match(ar ?? "", /could not be stored/);
    assert.ok(emitted > 0);

    fail = false;
    const sock = connect({ port: l.port, host: "127.0.0.1" });
    const received: Buffer[] = [];
    sock.on("data", (d: Buffer) => received.push(d));
    await new Promise<void>((res) => sock.once("connect", res));
    sock.write(mllpFrame(raw("ORU-R01-RMGEAD.hl7")));
    for (let i = 0; i < 400 && !release; i++) await sleep(50);
    assert.ok(release, "emit was called");
    // The sink has not resolved: no ACK may arrive, however long we wait.
    await sleep(300);
    assert.equal(received.length, 0, "no ACK before the sink resolved");
    release?.();
    for (let i = 0; i < 400 && received.length === 0; i++) await sleep(50);
    const ack = Buffer.concat(received).toString();
    assert.match(ack, /\rMSA\|AA\|CNTRL-3456\|/);
    sock.destroy();
  } finally {
    await l.stop();
  }
});

test("connections beyond the per-source limit are closed on accept", async () => {
  const c = testContext();
  const l = createMllpListener(
    { port: 0, host: "127.0.0.1", maxConnectionsPerSource: 1 },
    directory,
    c,
  );
  await l.start();
  try {
    const first = connect({ port: l.port, host: "127.0.0.1" });
    await new Promise<void>((res) => first.once("connect", res));
    // The first connection is being served: it answers a message.
    const acks = await Promise.all([
      new Promise<string>((res) => first.once("data", (d: Buffer) => res(d.toString()))),
      first.write(mllpFrame(raw("ORU-R01-RMGEAD.hl7"))),
    ]);
    assert.match(acks[0], /MSA\|AA\|/);
    const second = connect({ port: l.port, host: "127.0.0.1" });
    const closed = await new Promise<boolean>((res) => {
      second.once("close", () => res(true));
      second.once("data", () => res(false));
      second.on("error", () => {});
    });
    assert.equal(closed, true);
    const metric = await c.registry.getSingleMetricAsString(
      "amoskys_agent_hl7_connections_rejected_total",
    );
    assert.match(metric, /reason="max_per_source"} 1/);
    first.destroy();
  } finally {
    await l.stop();
  }
});
